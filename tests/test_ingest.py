"""Ingest, checked cell by cell against figures read off the two corpus documents by hand.

Each case names the document, the table kind, the row ("[side:]label-or-code[#n]", n = the n-th
row of that name) and the column, and gives the cell exactly as the document prints it (raw, after
joining wraps and dropping <b>) and its value. Nothing here was dumped from the parser's output.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from askbudget.ingest import build_store, parse_file
from askbudget.ingest.performance import parse_value
from askbudget.ingest.reader import join_wrapped, parse_number
from askbudget.store import SCHEMA, SCHEMA_VERSION

G = "gaoxin-gongan-2023"
C = "tangshan-gaoxin-czj-2023"


@pytest.fixture(scope="module")
def conn(both_store: Path) -> sqlite3.Connection:
    c = sqlite3.connect(both_store)
    c.row_factory = sqlite3.Row
    return c


def _row_id(conn: sqlite3.Connection, doc: str, kind: str, spec: str) -> int:
    side = ""
    if ":" in spec:
        side, spec = spec.split(":", 1)
    nth = 1
    if "#" in spec:
        spec, n = spec.rsplit("#", 1)
        nth = int(n)
    rows = conn.execute(
        "SELECT r.id FROM rows r JOIN tables t ON t.id = r.table_id JOIN documents d ON d.id = r.document_id "
        "WHERE d.name = ? AND t.kind = ? AND r.side = ? AND (r.code = ? OR r.label = ?) ORDER BY r.seq",
        (doc, kind, side, spec, spec)).fetchall()
    assert len(rows) >= nth, f"no row {spec!r} (side {side!r}) in {doc} {kind}"
    return rows[nth - 1][0]


def _cell(conn: sqlite3.Connection, doc: str, kind: str, spec: str, column: str) -> tuple[str, float | None]:
    rid = _row_id(conn, doc, kind, spec)
    got = conn.execute("SELECT raw, value FROM cells WHERE row_id = ? AND [column] = ?", (rid, column)).fetchall()
    assert len(got) == 1, f"{len(got)} cells {column!r} in row {spec!r}"
    return got[0]["raw"], got[0]["value"]


SZ, SR, ZC, CZ = "收支总表", "收入总表", "支出总表", "财政拨款收支总表"
YB, JB, JJ, GY = "一般公共预算财政拨款支出表", "一般公共预算财政拨款基本支出表", "政府性基金预算财政拨款支出表", \
    "国有资本经营预算财政拨款支出表"
SG, CG, ZC_FA = "三公经费支出表", "政府采购预算表", "固定资产占用情况表"

CELLS = [
    # ---- 收支总表 (two-sided; page 2 holds 支出 rows 19–34)
    (G, SZ, "收入:一般公共预算拨款收入", "预算数", "4327.18", 4327.18),
    (G, SZ, "收入:政府性基金预算拨款收入", "预算数", "1656.00", 1656.0),
    (G, SZ, "收入:国有资本经营预算拨款收入", "预算数", "", None),
    (G, SZ, "支出:一般公共服务支出", "预算数", "", None),
    (G, SZ, "支出:公共安全支出", "预算数", "4327.18", 4327.18),
    (G, SZ, "支出:城乡社区支出", "预算数", "1656.00", 1656.0),
    (G, SZ, "支出:住房保障支出", "预算数", "", None),
    (G, SZ, "支出:人行科目", "预算数", "", None),
    (G, SZ, "收入:本年收入合计", "预算数", "5983.18", 5983.18),
    (G, SZ, "支出:本年支出合计", "预算数", "5983.18", 5983.18),
    (G, SZ, "收入:上年结转结余", "预算数", "", None),
    (G, SZ, "收入:收入总计", "预算数", "5983.18", 5983.18),
    (G, SZ, "支出:支出总计", "预算数", "5983.18", 5983.18),
    (C, SZ, "收入:一般公共预算拨款收入", "预算数", "784.84", 784.84),
    (C, SZ, "收入:其他收入", "预算数", "18.00", 18.0),
    (C, SZ, "支出:一般公共服务支出", "预算数", "745.64", 745.64),
    (C, SZ, "支出:社会保障和就业支出", "预算数", "75.52", 75.52),
    (C, SZ, "支出:卫生健康支出", "预算数", "27.15", 27.15),
    (C, SZ, "支出:住房保障支出", "预算数", "41.03", 41.03),
    (C, SZ, "收入:本年收入合计", "预算数", "802.84", 802.84),
    (C, SZ, "支出:本年支出合计", "预算数", "889.34", 889.34),
    (C, SZ, "收入:上年结转结余", "预算数", "86.50", 86.5),
    (C, SZ, "支出:年终结转结余", "预算数", "", None),
    (C, SZ, "收入:收入总计", "预算数", "889.34", 889.34),
    # ---- 收入总表 (wrapped headers: 财政拨款 收入, 上级补助 收入)
    (G, SR, "合计", "合计", "5983.18", 5983.18),
    (G, SR, "204", "小计", "4327.18", 4327.18),
    (G, SR, "2040202", "财政拨款收入", "4215.80", 4215.8),
    (G, SR, "2040220", "合计", "40.00", 40.0),
    (G, SR, "2040299", "合计", "71.38", 71.38),
    (G, SR, "212", "合计", "1656.00", 1656.0),
    (G, SR, "2120899", "财政拨款收入", "1656.00", 1656.0),
    (G, SR, "204", "上年结转", "", None),
    (G, SR, "204", "其他收入", "", None),
    (G, SR, "204", "上级补助收入", "", None),
    (C, SR, "合计", "其他收入", "18.00", 18.0),
    (C, SR, "合计", "上年结转", "86.50", 86.5),
    (C, SR, "201", "小计", "659.14", 659.14),
    (C, SR, "2010602", "财政拨款收入", "121.10", 121.1),
    (C, SR, "2010602", "其他收入", "18.00", 18.0),
    (C, SR, "2010699", "上年结转", "86.50", 86.5),
    (C, SR, "2010699", "小计", "36.00", 36.0),
    (C, SR, "2080505", "合计", "56.92", 56.92),
    (C, SR, "2101101", "合计", "27.15", 27.15),
    (C, SR, "2210201", "财政拨款收入", "41.03", 41.03),
    (C, SR, "2010601", "上年结转", "", None),
    # ---- 支出总表
    (G, ZC, "合计", "基本支出", "3824.50", 3824.5),
    (G, ZC, "合计", "项目支出", "2158.68", 2158.68),
    (G, ZC, "2040202", "基本支出", "3824.50", 3824.5),
    (G, ZC, "2040202", "项目支出", "391.30", 391.3),
    (G, ZC, "2040220", "基本支出", "", None),
    (G, ZC, "2120899", "项目支出", "1656.00", 1656.0),
    (G, ZC, "204", "经营支出", "", None),
    (G, ZC, "204", "对附属单位补助支出", "", None),
    (C, ZC, "合计", "合计", "889.34", 889.34),
    (C, ZC, "合计", "基本支出", "627.74", 627.74),
    (C, ZC, "2010601", "基本支出", "484.04", 484.04),
    (C, ZC, "2010602", "项目支出", "139.10", 139.1),
    (C, ZC, "2010699", "项目支出", "122.50", 122.5),
    (C, ZC, "2080501", "基本支出", "18.60", 18.6),
    (C, ZC, "22102", "合计", "41.03", 41.03),
    # ---- 财政拨款收支总表 (收入 has 1 figure column, 支出 4; three pages; 一、 rows repeat under 年初结转)
    (G, CZ, "收入:一般公共预算拨款", "金额", "4327.18", 4327.18),
    (G, CZ, "收入:政府性基金预算拨款", "金额", "1656.00", 1656.0),
    (G, CZ, "支出:公共安全支出", "合计", "4327.18", 4327.18),
    (G, CZ, "支出:公共安全支出", "一般公共预算财政拨款", "4327.18", 4327.18),
    (G, CZ, "支出:城乡社区支出", "政府性基金预算财政拨款", "1656.00", 1656.0),
    (G, CZ, "支出:城乡社区支出", "一般公共预算财政拨款", "", None),
    (G, CZ, "收入:本年收入合计", "金额", "5983.18", 5983.18),
    (G, CZ, "支出:本年支出合计", "合计", "5983.18", 5983.18),
    (G, CZ, "支出:本年支出合计", "一般公共预算财政拨款", "4327.18", 4327.18),
    (G, CZ, "支出:本年支出合计", "国有资本经营预算财政拨款", "", None),
    (G, CZ, "收入:收入总计", "金额", "5983.18", 5983.18),
    (G, CZ, "支出:支出总计", "政府性基金预算财政拨款", "1656.00", 1656.0),
    (G, CZ, "收入:一般公共预算拨款#2", "金额", "", None),
    (G, CZ, "收入:国有资本经营预算拨款#2", "金额", "", None),
    (C, CZ, "收入:一般公共预算拨款", "金额", "784.84", 784.84),
    (C, CZ, "支出:一般公共服务支出", "合计", "727.64", 727.64),
    (C, CZ, "支出:住房保障支出", "一般公共预算财政拨款", "41.03", 41.03),
    (C, CZ, "收入:本年收入合计", "金额", "784.84", 784.84),
    (C, CZ, "支出:本年支出合计", "合计", "871.34", 871.34),
    (C, CZ, "支出:本年支出合计", "政府性基金预算财政拨款", "", None),
    (C, CZ, "收入:年初财政拨款结转和结余", "金额", "86.50", 86.5),
    (C, CZ, "收入:一般公共预算拨款#2", "金额", "86.50", 86.5),
    (C, CZ, "支出:支出总计", "合计", "871.34", 871.34),
    (C, CZ, "收入:收入总计", "金额", "871.34", 871.34),
    # ---- 一般公共预算财政拨款支出表
    (G, YB, "合计", "合计", "4327.18", 4327.18),
    (G, YB, "204", "基本支出", "3824.50", 3824.5),
    (G, YB, "2040202", "项目支出", "391.30", 391.3),
    (G, YB, "2040220", "基本支出", "", None),
    (G, YB, "2040299", "合计", "71.38", 71.38),
    (C, YB, "合计", "项目支出", "243.60", 243.6),
    (C, YB, "2010602", "合计", "121.10", 121.1),
    (C, YB, "2010602", "基本支出", "", None),
    (C, YB, "2080505", "基本支出", "56.92", 56.92),
    (C, YB, "221", "合计", "41.03", 41.03),
    # ---- 一般公共预算财政拨款基本支出表 (czj: split over two pages)
    (G, JB, "合计", "人员经费", "3632.50", 3632.5),
    (G, JB, "合计", "公用经费", "192.00", 192.0),
    (G, JB, "30199", "人员经费", "3632.50", 3632.5),
    (G, JB, "30205", "合计", "24.00", 24.0),
    (G, JB, "30206", "公用经费", "95.00", 95.0),
    (G, JB, "30206", "人员经费", "", None),
    (G, JB, "30208", "合计", "50.00", 50.0),
    (G, JB, "30214", "合计", "23.00", 23.0),
    (C, JB, "合计", "合计", "627.74", 627.74),
    (C, JB, "30101", "合计", "168.36", 168.36),
    (C, JB, "30102", "人员经费", "215.48", 215.48),
    (C, JB, "30113", "合计", "41.03", 41.03),
    (C, JB, "30201", "公用经费", "12.80", 12.8),
    (C, JB, "30207", "合计", "3.20", 3.2),
    (C, JB, "30231", "合计", "7.80", 7.8),
    (C, JB, "30302", "人员经费", "18.60", 18.6),
    (C, JB, "303", "合计", "18.60", 18.6),
    # ---- 政府性基金预算财政拨款支出表
    (G, JJ, "合计", "合计", "1656.00", 1656.0),
    (G, JJ, "212", "项目支出", "1656.00", 1656.0),
    (G, JJ, "2120899", "基本支出", "", None),
    # ---- 三公经费支出表 (czj only has rows)
    (C, SG, "合计", "合计", "10.20", 10.2),
    (C, SG, "因公出国（境）费", "合计", "", None),
    (C, SG, "公务用车购置及运行维护费", "合计", "7.80", 7.8),
    (C, SG, "公务用车购置费", "一般公共预算财政拨款", "", None),
    (C, SG, "公务用车运行维护费", "合计", "7.80", 7.8),
    (C, SG, "公务接待费", "一般公共预算财政拨款", "2.40", 2.4),
    (C, SG, "公务接待费", "政府性基金预算拨款", "", None),
    # ---- 政府采购预算表 (every column, project inherited down blank cells)
    (G, CG, "合计", "合计", "217.00", 217.0),
    (G, CG, "合计", "一般公共预算拨款", "217.00", 217.0),
    (G, CG, "合计", "预留中小微企业份额", "217.00", 217.0),
    (G, CG, "制服", "数量", "1000", 1000.0),
    (G, CG, "制服", "单价", "0.03", 0.03),
    (G, CG, "制服", "计量单位", "套", None),
    (G, CG, "制服", "政府采购目录序号", "A05030301", None),
    (G, CG, "制服", "预算资金", "30.00", 30.0),
    (G, CG, "硬件运维服务", "合计", "168.00", 168.0),
    (G, CG, "软件运维服务", "单价", "19.00", 19.0),
    (G, CG, "软件运维服务", "基金预算拨款", "", None),
    (C, CG, "便携式计算机", "数量", "8", 8.0),
    (C, CG, "便携式计算机", "单价", "0.85", 0.85),
    (C, CG, "便携式计算机", "合计", "6.80", 6.8),
    (C, CG, "便携式计算机", "预留中小微企业份额", "6.80", 6.8),
    (C, CG, "便携式计算机", "预算资金", "", None),
    (C, CG, "软件运维服务", "预留中小微企业份额", "", None),
    (C, CG, "物业管理服务", "计量单位", "月", None),
    (C, CG, "复印纸", "数量", "150", 150.0),
    (C, CG, "车辆维修和保养服务", "合计", "3.20", 3.2),
    (C, CG, "小计", "合计", "90.20", 90.2),
    (C, CG, "合计", "预留中小微企业份额", "54.20", 54.2),
    # ---- 固定资产占用情况表 ('--' and '3 个'; page 2 starts with 陈列品)
    (G, ZC_FA, "合计", "数量", "--", None),
    (G, ZC_FA, "合计", "价值", "6781.29", 6781.29),
    (G, ZC_FA, "房屋", "数量", "3 个", 3.0),
    (G, ZC_FA, "房屋", "价值", "1939.31", 1939.31),
    (G, ZC_FA, "汽车", "数量", "37", 37.0),
    (G, ZC_FA, "专用设备", "价值", "3271.13", 3271.13),
    (G, ZC_FA, "文物与陈列品", "数量", "", None),
    (G, ZC_FA, "陈列品", "价值", "0", 0.0),
    (G, ZC_FA, "图书资料", "价值", "0.30", 0.3),
    (G, ZC_FA, "家具用具", "数量", "18287", 18287.0),
    (C, ZC_FA, "合计", "价值", "1286.45", 1286.45),
    (C, ZC_FA, "房屋", "数量", "1 个", 1.0),
    (C, ZC_FA, "通用设备", "数量", "186", 186.0),
    (C, ZC_FA, "汽车", "价值", "38.60", 38.6),
    (C, ZC_FA, "陈列品", "价值", "0", 0.0),
    (C, ZC_FA, "家具、用具、装具及动植物", "价值", "89.25", 89.25),
    # ---- 机构设置表
    (G, "机构设置表", "唐山市公安局高新技术产业开发区分局(本级)", "单位规格", "副处(县)级", None),
    (C, "机构设置表", "唐山市高新技术产业开发区财政局(本级)", "单位性质", "行政", None),
]


@pytest.mark.parametrize("doc,kind,row,column,raw,value", CELLS,
                         ids=[f"{d[:6]}-{k}-{r}-{c}" for d, k, r, c, _, _ in CELLS])
def test_cell(conn: sqlite3.Connection, doc: str, kind: str, row: str, column: str, raw: str,
              value: float | None) -> None:
    got_raw, got_value = _cell(conn, doc, kind, row, column)
    assert got_raw == raw
    if value is None:
        assert got_value is None
    else:
        assert got_value == pytest.approx(value, abs=1e-9)


# every row of 收入总表 (gongan): 序号 as printed (4, 6, 7, 7 — the document's own mistake), code, label
# (wraps joined), level, parent and the parent's name
GONGAN_INCOME_ROWS = [
    ("1", None, "合计", None, None, "", 1),
    ("2", "204", "公共安全支出", 1, None, "", 0),
    ("3", "20402", "公安", 2, "204", "公共安全支出", 0),
    ("4", "2040202", "一般行政管理事务", 3, "20402", "公安", 0),
    ("6", "2040220", "执法办案", 3, "20402", "公安", 0),
    ("7", "2040299", "其他公安支出", 3, "20402", "公安", 0),
    ("7", "212", "城乡社区支出", 1, None, "", 0),
    ("8", "21208", "国有土地使用权出让收入安排的支出", 2, "212", "城乡社区支出", 0),
    ("9", "2120899", "其他国有土地使用权出让收入安排的支出", 3, "21208", "国有土地使用权出让收入安排的支出", 0),
]


def test_income_table_every_row(conn: sqlite3.Connection) -> None:
    got = conn.execute(
        "SELECT r.row_no, r.code, r.label, r.level, r.parent_code, r.group_name, r.is_total, r.classification "
        "FROM rows r JOIN tables t ON t.id = r.table_id JOIN documents d ON d.id = r.document_id "
        "WHERE d.name = ? AND t.kind = '收入总表' ORDER BY r.seq", (G,)).fetchall()
    assert [tuple(r)[:7] for r in got] == GONGAN_INCOME_ROWS
    assert {r["classification"] for r in got if r["code"]} == {"功能分类"}


def test_basic_table_is_economic_classification(conn: sqlite3.Connection) -> None:
    got = conn.execute(
        "SELECT r.code, r.level, r.parent_code, r.classification FROM rows r JOIN tables t ON t.id = r.table_id "
        "JOIN documents d ON d.id = r.document_id WHERE d.name = ? AND t.kind = ? AND r.code IS NOT NULL "
        "ORDER BY r.seq", (G, JB)).fetchall()
    assert [tuple(r) for r in got] == [
        ("301", 1, None, "经济分类"), ("30199", 2, "301", "经济分类"), ("302", 1, None, "经济分类"),
        ("30205", 2, "302", "经济分类"), ("30206", 2, "302", "经济分类"), ("30208", 2, "302", "经济分类"),
        ("30214", 2, "302", "经济分类")]


GONGAN_ASSET_ROWS = [
    ("合计", "合计", "", 1), ("一、土地房屋及构筑物", "土地房屋及构筑物", "", 0),
    ("其中: 房屋", "房屋", "土地房屋及构筑物", 0), ("二、通用设备", "通用设备", "", 0),
    ("其中: 汽车", "汽车", "通用设备", 0), ("三、专用设备", "专用设备", "", 0),
    ("四、文物与陈列品", "文物与陈列品", "", 0), ("其中: 文物", "文物", "文物与陈列品", 0),
    ("陈列品", "陈列品", "文物与陈列品", 0), ("五、图书档案", "图书档案", "", 0),
    ("其中: 图书资料", "图书资料", "图书档案", 0),
    ("六、家具、用具、装具及动植物", "家具、用具、装具及动植物", "", 0),
    ("其中: 家具用具", "家具用具", "家具、用具、装具及动植物", 0),
]


def test_asset_table_every_row(conn: sqlite3.Connection) -> None:
    got = conn.execute(
        "SELECT r.name, r.label, r.group_name, r.is_total FROM rows r JOIN tables t ON t.id = r.table_id "
        "JOIN documents d ON d.id = r.document_id WHERE d.name = ? AND t.kind = ? ORDER BY r.seq", (G, ZC_FA)).fetchall()
    assert [tuple(r) for r in got] == GONGAN_ASSET_ROWS


CZJ_PROCUREMENT_ROWS = [
    ("合计", "", 1), ("小计", "唐山市高新技术产业开发区财政局(本级)", 1),
    ("软件运维服务", "财政信息化系统运维费", 0), ("物业管理服务", "机关物业管理费", 0),
    ("台式计算机", "办公设备购置", 0), ("便携式计算机", "办公设备购置", 0),
    ("复印纸", "办公费", 0), ("车辆维修和保养服务", "公务用车运行维护费", 0),
]


def test_procurement_every_row(conn: sqlite3.Connection) -> None:
    got = conn.execute(
        "SELECT r.label, r.group_name, r.is_total FROM rows r JOIN tables t ON t.id = r.table_id "
        "JOIN documents d ON d.id = r.document_id WHERE d.name = ? AND t.kind = ? ORDER BY r.seq", (C, CG)).fetchall()
    assert [tuple(r) for r in got] == CZJ_PROCUREMENT_ROWS


def test_sangong_rows_and_groups(conn: sqlite3.Connection) -> None:
    got = conn.execute(
        "SELECT r.row_no, r.name, r.label, r.group_name FROM rows r JOIN tables t ON t.id = r.table_id "
        "JOIN documents d ON d.id = r.document_id WHERE d.name = ? AND t.kind = ? ORDER BY r.seq", (C, SG)).fetchall()
    assert [tuple(r) for r in got] == [
        ("1", "合计", "合计", ""), ("2", "1、因公出国（境）费", "因公出国（境）费", ""),
        ("3", "2、公务用车购置及运行维护费", "公务用车购置及运行维护费", ""),
        ("4", "其中：（1）公务用车购置费", "公务用车购置费", "公务用车购置及运行维护费"),
        ("5", "（2）公务用车运行维护费", "公务用车运行维护费", "公务用车购置及运行维护费"),
        ("6", "3、公务接待费", "公务接待费", "")]


@pytest.mark.parametrize("doc,kind,n_rows,note", [
    (G, GY, 0, "无国有资本经营预算财政拨款预算，空表列示。"),
    (G, SG, 0, "无财政拨款“三公”经费支出表预算，空表列示。"),
    (C, JJ, 0, "无政府性基金预算财政拨款预算，空表列示。"),
    (C, GY, 0, "无国有资本经营预算财政拨款预算，空表列示。"),
    (G, CG, 5, "同一采购目录序号的物品，其单价会因配置规格不同而变动，均符合资产配置标准。涉密采购事项按照相关规定执行。"),
    (G, SZ, 46, ""),   # 34 printed lines: 9 with both sides, 25 with only 支出 → 9*2 + 25 + totals
    (G, CZ, 43, ""),
])
def test_empty_tables_keep_note(conn: sqlite3.Connection, doc: str, kind: str, n_rows: int, note: str) -> None:
    t = conn.execute("SELECT t.id, t.note FROM tables t JOIN documents d ON d.id = t.document_id "
                     "WHERE d.name = ? AND t.kind = ?", (doc, kind)).fetchone()
    assert t["note"] == note
    assert conn.execute("SELECT count(*) FROM rows WHERE table_id = ?", (t["id"],)).fetchone()[0] == n_rows


def test_split_tables_are_one_table_each(conn: sqlite3.Connection) -> None:
    for doc in (G, C):
        kinds = [r[0] for r in conn.execute(
            "SELECT t.kind FROM tables t JOIN documents d ON d.id = t.document_id WHERE d.name = ? AND t.kind != '绩效目标表'",
            (doc,))]
        assert sorted(kinds) == sorted({SZ, SR, ZC, CZ, YB, JB, JJ, GY, SG, CG, ZC_FA, "机构设置表"})
    # 收支总表 rows 19–34 come from page 2, once
    labels = [r[0] for r in conn.execute(
        "SELECT r.label FROM rows r JOIN tables t ON t.id = r.table_id JOIN documents d ON d.id = r.document_id "
        "WHERE d.name = ? AND t.kind = ? AND r.side = '支出' ORDER BY r.seq", (G, SZ))]
    assert labels.count("自然资源海洋气象等支出") == 1 and labels[-1] == "支出总计" and len(labels) == 34


def test_kind_vocabulary_and_columns(conn: sqlite3.Connection) -> None:
    schema_doc = (Path(__file__).resolve().parent.parent / "docs" / "schema.md").read_text(encoding="utf-8")
    for (kind,) in conn.execute("SELECT DISTINCT kind FROM tables"):
        assert f"`{kind}`" in schema_doc
    cols = json.loads(conn.execute(
        "SELECT t.columns FROM tables t JOIN documents d ON d.id = t.document_id WHERE d.name = ? AND t.kind = ?",
        (G, SR)).fetchone()[0])
    assert cols == ["合计", "小计", "财政拨款收入", "财政专户收入", "事业收入", "经营收入", "上级补助收入",
                    "附属单位上缴收入", "其他收入", "上年结转"]
    groups = dict(conn.execute(
        "SELECT DISTINCT c.[column], c.column_group FROM cells c JOIN tables t ON t.id = c.table_id "
        "JOIN documents d ON d.id = c.document_id WHERE d.name = ? AND t.kind = ?", (G, SR)).fetchall())
    assert groups["财政拨款收入"] == "本年收入" and groups["合计"] == "" and groups["上年结转"] == ""
    cols = json.loads(conn.execute(
        "SELECT t.columns FROM tables t JOIN documents d ON d.id = t.document_id WHERE d.name = ? AND t.kind = ?",
        (C, CG)).fetchone()[0])
    assert cols == ["预算资金", "采购物品名称", "政府采购目录序号", "计量单位", "数量", "单价", "合计", "一般公共预算拨款",
                    "基金预算拨款", "国有资本经营预算拨款", "财政专户核拨", "单位资金", "财政拨款结转",
                    "非财政拨款结转结余", "预留中小微企业份额"]


# ---------------------------------------------------------------- 绩效目标表

INDICATORS = [
    # doc, project, 三级指标, level1, level2, value_raw, comparator, number, unit
    (G, "办案及维稳经费", "处理案件数量", "产出指标", "数量指标", "≥1514 件", "≥", 1514.0, "件"),
    (G, "办案及维稳经费", "破案率", "产出指标", "质量指标", "≥25%", "≥", 25.0, "%"),
    (G, "办案及维稳经费", "厉行节约，减少开支", "产出指标", "成本指标", "≤40 万元", "≤", 40.0, "万元"),
    (G, "办案及维稳经费", "发案数减少", "效益指标", "社会效益指标",
     "震慑犯罪，发案数减少，辖区稳定，增强群众安全感、满意度", None, None, None),
    (G, "办案及维稳经费", "上级评价", "满意度指标", "服务对象满意度指标", "100%", "=", 100.0, "%"),
    (G, "大学生公寓村视频监控建设", "预算资金控制数", "产出指标", "成本指标", "≤5.84 万元", "≤", 5.84, "万元"),
    (G, "大学生公寓村视频监控建设", "安装摄像头数量", "产出指标", "数量指标", "34 套", "=", 34.0, "套"),
    (G, "跨部门涉案财物共管中心服务费", "涉案物品移交入监管中心", "产出指标", "时效指标", "≤24 小时", "≤", 24.0, "小时"),
    (G, "跨部门涉案财物共管中心服务费", "保障涉案物品数量", "产出指标", "数量指标", "是", None, None, None),
    (G, "跨部门涉案财物共管中心服务费", "公、检、法、群众满意度", "满意度指标", "服务对象满意度指标", ">90%", ">", 90.0, "%"),
    (G, "视频监控维护", "排除故障时间", "产出指标", "时效指标", "<24 小时", "<", 24.0, "小时"),
    (G, "体检经费", "完成时间", "产出指标", "时效指标", "2023 年 12 月底", None, None, None),
    (G, "体检经费", "在职人数", "产出指标", "数量指标", "516 人", "=", 516.0, "人"),
    (G, "唐丰路派出所建设项目", "建筑面积", "产出指标", "数量指标", "3007.87 平方米", "=", 3007.87, "平方米"),
    (G, "智慧平安社区建设及维护费", "资金成本", "产出指标", "成本指标", "≤1156.11 万元", "≤", 1156.11, "万元"),
    (G, "智慧平安社区建设及维护费", "群众满意度", "满意度指标", "服务对象满意度指标", "≥98%", "≥", 98.0, "%"),
    (C, "政府采购监督管理经费", "投诉处理时限", "产出指标", "时效指标", "≤30 个工作日", "≤", 30.0, "个工作日"),
    (C, "办公设备购置", "购置便携式计算机数量", "产出指标", "数量指标", "8 台", "=", 8.0, "台"),
    (C, "机关物业管理费", "物业服务面积", "产出指标", "数量指标", "3200 平方米", "=", 3200.0, "平方米"),
    (C, "预算管理一体化系统建设（上年结转）", "预算资金控制", "产出指标", "成本指标", "≤86.5 万元", "≤", 86.5, "万元"),
    (C, "财政业务培训及政策宣传经费", "培训人次", "产出指标", "数量指标", "≥400 人次", "≥", 400.0, "人次"),
]


@pytest.mark.parametrize("doc,project,level3,level1,level2,value_raw,comp,number,unit", INDICATORS,
                         ids=[f"{i[0][:6]}-{i[1]}-{i[2]}" for i in INDICATORS])
def test_indicator(conn: sqlite3.Connection, doc: str, project: str, level3: str, level1: str, level2: str,
                   value_raw: str, comp: str | None, number: float | None, unit: str | None) -> None:
    got = conn.execute(
        "SELECT i.* FROM indicators i JOIN documents d ON d.id = i.document_id WHERE d.name = ? AND i.project = ? "
        "AND i.level3 = ?", (doc, project, level3)).fetchall()
    assert len(got) == 1
    r = got[0]
    assert (r["level1"], r["level2"], r["value_raw"], r["comparator"], r["unit"]) == (level1, level2, value_raw, comp, unit)
    assert r["number"] == number


def test_performance_tables(conn: sqlite3.Connection) -> None:
    got = conn.execute("SELECT t.title, t.project, t.goal FROM tables t JOIN documents d ON d.id = t.document_id "
                       "WHERE d.name = ? AND t.kind = '绩效目标表' ORDER BY t.seq", (G,)).fetchall()
    assert len(got) == 13
    assert tuple(got[0]) == ("办案及维稳经费绩效目标表", "办案及维稳经费", "保障分局各类刑事、治安案件的顺利办理维护辖区稳定。")
    assert got[1]["goal"].startswith("对大学生公寓村开展视频监控补点，建设视频监控摄像头 34 个")
    assert [r["project"] for r in got][-3:] == ["科防二期改造", "唐丰路派出所建设项目", "智慧平安社区建设及维护费"]
    n = conn.execute("SELECT count(*) FROM indicators i JOIN documents d ON d.id = i.document_id WHERE d.name = ?",
                     (G,)).fetchone()[0]
    assert n == 6 + 7 + 6 + 7 + 7 + 7 + 6 + 6 + 7 + 6 + 7 + 7 + 7


@pytest.mark.parametrize("raw,expected", [
    ("≥1514 件", ("≥", 1514.0, "件")), ("≤5.84 万元", ("≤", 5.84, "万元")), ("<24 小时", ("<", 24.0, "小时")),
    ("100%", ("=", 100.0, "%")), ("34 套", ("=", 34.0, "套")), ("≤30 个工作日", ("≤", 30.0, "个工作日")),
    ("不低于 8%", ("≥", 8.0, "%")), ("是", (None, None, None)), ("2023 年 12 月底", (None, None, None)),
    ("派出所建成后 1 个月内", (None, None, None)), ("不迟于 2023 年底", (None, None, None)),
])
def test_parse_value(raw: str, expected: tuple[str | None, float | None, str | None]) -> None:
    assert parse_value(raw) == expected


@pytest.mark.parametrize("raw", ["≥" + "9" * 400 + "件", "9" * 30])
def test_parse_value_refuses_an_overlong_number(raw: str) -> None:
    """400 digits would be float('inf') in the store: no number, no unit."""
    expected = (None, None, None)
    assert parse_value(raw) == expected


@pytest.mark.parametrize("raw,value", [
    ("4,327.18", 4327.18), ("4327.18", 4327.18), ("", None), ("--", None), ("3 个", 3.0), ("0", 0.0),
    ("以实际数为准", None), ("1,000", 1000.0),
    # negative figures as printed: a minus sign (ASCII, U+2212, full-width) or accountants' brackets
    ("-5.00", -5.0), ("−5.00", -5.0), ("－5.00", -5.0), ("(5.00)", -5.0), ("（1,234.50）", -1234.5),
    ("(0.00)", 0.0), ("(-5.00)", None), ("(abc)", None), ("(3 个)", None),
    # a figure with its money unit: the number (the unit is converted by the ingest: the money-unit tests below)
    ("95.00万元", 95.0), ("950000元", 950000.0), ("1.2 亿元", 1.2), ("万元", None), ("5万元元", None),
    # a full-width thousands separator; a run of digits no budget figure has is not a number (never inf)
    ("1，656.00", 1656.0), ("1" * 400, None), ("9" * 19, None), ("(" + "9" * 400 + ")", None)])
def test_parse_number(raw: str, value: float | None) -> None:
    assert parse_number(raw) == value


@pytest.mark.parametrize("raw,joined", [
    ("一般行政管理 事务", "一般行政管理事务"), ("国有土地使用 权出让收入安 排的支出", "国有土地使用权出让收入安排的支出"),
    ("<b>本年收入合计</b>", "本年收入合计"), ("其中: 汽车", "其中: 汽车")])
def test_join_wrapped(raw: str, joined: str) -> None:
    assert join_wrapped(raw) == joined


# ---------------------------------------------------------------- narrative

SECTIONS = [
    (G, "三、机关运行经费安排情况", 1, "三、机关运行经费安排情况", "电费95万元"),
    (G, "单位职责：", 2, "一、单位职责及机构设置情况 > 单位职责：", "设有 20 个科室所队"),
    (G, "二、单位预算安排的总体情况", 1, "二、单位预算安排的总体情况", "与2022年相比增长2.32%"),
    (G, "（二）加强公安严打整治工作", 4,
     "五、预算绩效信息 > 第一部分 部门整体绩效目标 > (二) 分项绩效目标 > （二）加强公安严打整治工作", "环京"),
    (G, "(一) 加强公安日常整治工作", 4,
     "五、预算绩效信息 > 第一部分 部门整体绩效目标 > (二) 分项绩效目标 > (一) 加强公安日常整治工作",
     "实现信访工作“两降一升”的目标"),
    (G, "（三）工作保障措施", 3, "五、预算绩效信息 > 第一部分 部门整体绩效目标 > （三）工作保障措施", "资金申请有依据"),
    (G, "第二部分 预算项目绩效目标", 2, "五、预算绩效信息 > 第二部分 预算项目绩效目标", ""),
    (G, "（二）公务接待费", 2, "四、财政拨款“三公”经费预算情况及增减变化原因 > （二）公务接待费", "安排0万元"),
    (G, "六、政府采购预算情况", 1, "六、政府采购预算情况", "217.00万元"),
    (G, "七、国有资产信息", 1, "七、国有资产信息", "每个0.08万元，计 3.04 万元"),
    (G, "九、其他需要说明的事项", 1, "九、其他需要说明的事项", "无其他需要说明的事项"),
    (C, "（四）提升财政信息化和会计核算服务水平", 4,
     "五、预算绩效信息 > 第一部分 部门整体绩效目标 > (二) 分项绩效目标 > （四）提升财政信息化和会计核算服务水平", "8 个"),
    (C, "2.公务用车运行维护经费", 3,
     "四、财政拨款“三公”经费预算情况及增减变化原因 > （一）公务用车购置及运行维护费 > 2.公务用车运行维护经费",
     "下降9.30%"),
    (C, "（一）完善制度建设", 4,
     "五、预算绩效信息 > 第一部分 部门整体绩效目标 > （三）工作保障措施 > （一）完善制度建设", "内部控制制度"),
]


@pytest.mark.parametrize("doc,heading,level,path,text_has", SECTIONS, ids=[f"{s[0][:6]}-{s[1]}" for s in SECTIONS])
def test_section(conn: sqlite3.Connection, doc: str, heading: str, level: int, path: str, text_has: str) -> None:
    got = conn.execute("SELECT s.* FROM sections s JOIN documents d ON d.id = s.document_id WHERE d.name = ? "
                       "AND s.heading = ?", (doc, heading)).fetchall()
    assert len(got) == 1
    assert (got[0]["level"], got[0]["path"]) == (level, path)
    assert text_has in got[0]["text"]


def test_responsibility_items_are_text_not_sections(conn: sqlite3.Connection) -> None:
    text = conn.execute("SELECT s.text FROM sections s JOIN documents d ON d.id = s.document_id WHERE d.name = ? "
                        "AND s.heading = '单位主要职责：'", (G,)).fetchone()[0]
    assert text.count("\n") == 18 and text.startswith("（一）全面贯彻落实")


FACTS = [
    (G, "单位名称", "唐山市公安局高新技术产业开发区分局(本级)"), (G, "单位性质", "行政"), (G, "单位规格", "副处(县)级"),
    (G, "经费保障形式", "财政拨款"), (G, "科室数", "20"),
    (C, "单位规格", "正科级"), (C, "科室数", "8"), (C, "编制数", "22"), (C, "在职人数", "22"), (C, "退休人数", "4"),
    (C, "科室所队", "办公室、预算科、国库科、综合科、政府采购监督管理科、国有资产管理科、财政投资评审中心、会计核算中心"),
]


@pytest.mark.parametrize("doc,key,value", FACTS, ids=[f"{f[0][:6]}-{f[1]}" for f in FACTS])
def test_fact(conn: sqlite3.Connection, doc: str, key: str, value: str) -> None:
    got = conn.execute("SELECT f.value FROM facts f JOIN documents d ON d.id = f.document_id WHERE d.name = ? AND f.key = ?",
                       (doc, key)).fetchall()
    assert [r[0] for r in got] == [value]


def test_gongan_department_list(conn: sqlite3.Connection) -> None:
    v = conn.execute("SELECT f.value FROM facts f JOIN documents d ON d.id = f.document_id WHERE d.name = ? "
                     "AND f.key = '科室所队'", (G,)).fetchone()[0]
    names = v.split("、")
    assert len(names) == 20 and names[:3] == ["指挥中心", "政治处", "纪委"] and names[-1] == "会展广场警务站"


def test_glossary(conn: sqlite3.Connection) -> None:
    terms = conn.execute("SELECT g.term, g.definition FROM glossary g JOIN documents d ON d.id = g.document_id "
                         "WHERE d.name = ? ORDER BY g.seq", (G,)).fetchall()
    assert [t[0] for t in terms] == ["一般公共预算拨款收入", "事业收入", "其他收入", "基本支出", "项目支出", "上缴上级支出",
                                     "“三公”经费", "机关运行费", "上年结转", "事业单位经营支出"]
    d = dict(terms)
    assert d["一般公共预算拨款收入"] == "指区级财政当年拨付的资金。"
    assert "伙食补助费、杂费、培训费" in d["“三公”经费"]  # continues over the page break
    assert d["“三公”经费"].endswith("公务接待（含外宾接待）支出。")
    assert d["机关运行费"].startswith("是指各单位的公用经费")
    cz = dict(conn.execute("SELECT g.term, g.definition FROM glossary g JOIN documents d ON d.id = g.document_id "
                           "WHERE d.name = ?", (C,)).fetchall())
    assert cz["中小微企业预留份额"].startswith("是指采购人在政府采购预算中") and "人员经费" in cz


STATEMENTS = [
    # doc, subject, year, value, change_dir, change, change_pct, base_year
    (G, "预算收入", 2023, 5983.18, None, None, None, None),
    (G, "一般公共预算拨款", 2023, 4327.18, "减少", 843.38, None, 2022),
    (G, "基金预算拨款", 2023, 1656.0, "增加", 979.0, None, 2022),
    (G, "人员经费", 2023, 3632.5, "增加", 893.84, None, 2022),
    (G, "项目支出", 2023, 2158.68, "减少", 753.22, None, 2022),
    (G, "预算支出", 2023, None, "增加", None, 2.32, 2022),
    (G, "日常公用经费", 2022, 197.0, None, None, None, None),
    (G, "日常公用经费", 2023, None, "减少", 5.0, 2.54, 2022),
    (G, "取暖费", 2023, None, "减少", 10.0, None, 2022),
    (G, "电费", 2023, 95.0, None, None, None, None),
    (G, "“三公”经费", 2023, 0.0, "持平", 0.0, None, 2022),
    (G, "公务接待费", 2023, 0.0, "持平", 0.0, None, 2022),
    (G, "因公出国（境）费", 2023, 0.0, "持平", 0.0, None, 2022),
    (G, "政府采购预算", 2023, 217.0, None, None, None, None),
    (C, "其他收入", 2023, 18.0, "增加", 3.0, None, 2022),
    (C, "“三公”经费", 2023, 10.2, "减少", 1.4, 12.07, 2022),
    (C, "公务用车运行维护经费", 2023, 7.8, "减少", 0.8, 9.3, 2022),
    (C, "公务接待费", 2023, 2.4, "减少", 0.6, 20.0, 2022),
    (C, "预算电费", 2023, None, "增加", 0.4, None, 2022),
    (C, "预留中小微企业份额", 2023, 54.2, None, None, None, None),
    (C, "预算支出", 2023, None, "增加", None, 15.9, 2022),
    (C, "预算管理一体化系统建设（上年结转）", 2023, 86.5, None, None, None, None),
]


@pytest.mark.parametrize("doc,subject,year,value,cdir,change,pct,base", STATEMENTS,
                         ids=[f"{s[0][:6]}-{s[1]}-{s[2]}-{s[3]}" for s in STATEMENTS])
def test_statement(conn: sqlite3.Connection, doc: str, subject: str, year: int, value: float | None,
                   cdir: str | None, change: float | None, pct: float | None, base: int | None) -> None:
    got = conn.execute(
        "SELECT s.value, s.change_dir, s.change, s.change_pct, s.base_year FROM statements s "
        "JOIN documents d ON d.id = s.document_id WHERE d.name = ? AND s.subject = ? AND s.year = ? "
        "AND s.value IS ? AND s.change_dir IS ?", (doc, subject, year, value, cdir)).fetchall()
    assert len(got) >= 1, [tuple(r) for r in conn.execute(
        "SELECT s.subject, s.year, s.value, s.change_dir FROM statements s JOIN documents d ON d.id = s.document_id "
        "WHERE d.name = ? AND s.subject = ?", (doc, subject))]
    assert (got[0]["change"], got[0]["change_pct"], got[0]["base_year"]) == (change, pct, base)


@pytest.mark.parametrize("sentence, subject, value, cdir, change", [
    # the national 决算 template's wording: 收、支 share 总计 (never the subject 支总计, nor 支总计各)
    ("2024年度收、支总计4549.31万元。", "收支总计", 4549.31, None, None),
    ("与2023年度相比，收、支总计各增加563.07万元，增长14.13%。", "收支总计", None, "增加", 563.07),
    ("2024年度财政拨款收、支总计4530.71万元。", "财政拨款收支总计", 4530.71, None, None),
    ("全年水、电费12.00万元。", "全年水电费", 12.0, None, None),
    ("主要用于办公费、印刷费8.00万元。", "印刷费", 8.0, None, None),  # two words: the last is the figure's
    # a list in brackets is an aside (whose), and a long subject is cut after whose it is (单位…) to what it is
    ("2025年本部门行政单位和参照公务员法管理事业单位（局本级、卫生监督所）机关运行经费预算122.40万元，比2024年128.65万元"
     "减少6.25万元。", "机关运行经费预算", 122.4, "减少", 6.25),
])
def test_a_character_before_a_dun_shares_the_words_after_it(sentence: str, subject: str, value: float | None,
                                                              cdir: str | None, change: float | None) -> None:
    from askbudget.ingest.narrative import Paragraph
    from askbudget.ingest.statements import extract

    got = extract([(0, Paragraph(text=sentence, line=1))], 2024, "")
    assert [(s.subject, s.value, s.change_dir, s.change) for s in got][:1] == [(subject, value, cdir, change)], got


@pytest.mark.parametrize("text, subject", [
    ("2024年度一般公共预算财政拨款支出年初预算为2463.50万元，支出决算为\n2679.66万元，完成年初预算的108.77%。其中：",
     "一般公共预算财政拨款支出"),  # the year before the subject, the sentence wrapped
    ("（三）一般公共预算财政拨款支出决算具体情况一般公共预算财政拨款支出年初预算为2463.50万元，支出决算为2679.66万元，"
     "完成年初预算的108.77%。", "一般公共预算财政拨款支出"),  # a heading run into its paragraph
])
def test_a_finals_budget_against_final_sentence(text: str, subject: str) -> None:
    from askbudget.ingest.narrative import Paragraph
    from askbudget.ingest.statements import extract_final

    got = [(s.subject, s.value, s.base_value, s.basis, s.completion_pct) for s in
           extract_final([(0, Paragraph(text=text, line=1))], 2024)]
    assert got == [(subject, 2679.66, 2463.5, "年初预算", 108.77)], got


def test_a_finals_item_named_by_its_classification_path_is_its_last_level() -> None:
    from askbudget.ingest.narrative import Paragraph
    from askbudget.ingest.statements import extract_final

    para = [(0, Paragraph(text="4.农林水支出（类）水利（款）防汛（项）：年初预算为250.00万元，支出决算为326.79万元，"
                               "完成年初预算的130.72%。决算数大于预算数的主要原因：汛期应急抢险支出增加。", line=1))]
    got = [(s.subject, s.value, s.base_value, s.completion_pct, s.reason) for s in extract_final(para, 2024)]
    assert got == [("防汛", 326.79, 250.0, 130.72, "汛期应急抢险支出增加")], got


def test_a_finals_sentence_read_whole_and_its_change_against_the_year_before() -> None:
    """"支出预算为…，支出决算为…，完成预算的…，比2023年度…减少…": one statement against the year's budget (its 决算
    14.12, the budget 17.00), one against 2023 (减少 1.73) — both the subject's; never the budget as its figure."""
    from askbudget.ingest.narrative import Paragraph
    from askbudget.ingest.statements import against_year_before, extract, extract_final

    para = [(0, Paragraph(text="2024年度“三公”经费支出预算为17.00万元，支出决算为14.12万元，完成预算的83.04%，"
                               "比2023年度15.84万元减少1.73万元，下降10.89%。", line=1))]
    finals = extract_final(para, 2024)
    got = {(s.subject, s.value, s.change_dir, s.change, s.basis) for s in
           against_year_before(extract(para, 2024, ""), 2024, para, finals) + finals}
    assert got == {("“三公”经费支出", 14.12, "减少", 2.88, "年初预算"), ("“三公”经费支出", 14.12, "减少", 1.73, "上年决算")}, got


def test_statement_base_value(conn: sqlite3.Connection) -> None:
    got = conn.execute("SELECT s.base_value FROM statements s JOIN documents d ON d.id = s.document_id "
                       "WHERE d.name = ? AND s.subject = '日常公用经费' AND s.value IS NULL", (G,)).fetchone()
    assert got[0] == 197.0


# ---------------------------------------------------------------- documents and the store

@pytest.mark.parametrize("doc,unit_code,unit_name,n_lines", [
    (G, "122001", "唐山市公安局高新技术产业开发区分局(本级)", 654),
    (C, "121001", "唐山市高新技术产业开发区财政局(本级)", 616),
])
def test_document_row(conn: sqlite3.Connection, doc: str, unit_code: str, unit_name: str, n_lines: int,
                      gongan_doc: Path, czj_doc: Path) -> None:
    r = conn.execute("SELECT * FROM documents WHERE name = ?", (doc,)).fetchone()
    path = gongan_doc if doc == G else czj_doc
    assert (r["unit_code"], r["unit_name"], r["year"], r["money_unit"], r["n_lines"]) == \
        (unit_code, unit_name, 2023, "万元", n_lines)
    assert r["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert Path(r["source_path"]) == path.resolve()
    assert r["ingested_at"].endswith("+00:00")


def test_schema_matches_store(conn: sqlite3.Connection) -> None:
    for table, spec in SCHEMA.items():
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info([{table}])")]
        assert cols == list(spec["columns"]), table
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)


def test_reingest_is_idempotent(tmp_path: Path, gongan_doc: Path, czj_doc: Path) -> None:
    db = tmp_path / "s.db"
    build_store([gongan_doc, czj_doc], db, quiet=True)

    def counts() -> dict[str, int]:
        c = sqlite3.connect(db)
        try:
            return {t: c.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in SCHEMA}
        finally:
            c.close()

    first = counts()
    build_store([gongan_doc], db, quiet=True)
    assert counts() == first
    c = sqlite3.connect(db)
    assert sorted(r[0] for r in c.execute("SELECT unit_code FROM documents")) == ["121001", "122001"]
    c.close()


def test_two_years_side_by_side(tmp_path: Path, gongan_doc: Path) -> None:
    text = gongan_doc.read_text(encoding="utf-8").replace("预算年度：2023", "预算年度：2024")
    other = tmp_path / "gongan-2024.txt"
    other.write_text(text, encoding="utf-8")
    db = tmp_path / "y.db"
    report = build_store([gongan_doc, other], db, quiet=True)
    assert len(report.documents) == 2
    c = sqlite3.connect(db)
    assert sorted(r[0] for r in c.execute("SELECT year FROM documents")) == [2023, 2024]
    c.close()


def test_summary_line(tmp_path: Path, gongan_doc: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build_store([gongan_doc], tmp_path / "q.db", quiet=False)
    out = capsys.readouterr().out.strip()
    # cells by hand: 收支总表 46×1, 收入总表 9×10, 支出总表 9×6, 财政拨款收支总表 9×1 + 34×4, 一般 6×3,
    # 基本 8×3, 基金 4×3, 机构设置 1×3, 政府采购 5×15, 固定资产 13×2 = 493; 6781.29 is a rounding note
    assert out.splitlines()[-1] == "ingested 1 document (gaoxin-gongan-2023): 493 cells, 0 warnings; check: 0 mismatches"


def test_parse_is_pure_and_fast(gongan_doc: Path) -> None:
    import time

    t0 = time.perf_counter()
    doc = parse_file(gongan_doc)
    assert time.perf_counter() - t0 < 0.5
    assert doc.year == 2023 and doc.n_cells == 493 and not doc.warnings


def test_reingest_keeps_every_id(tmp_path: Path, gongan_doc: Path, czj_doc: Path) -> None:
    """An unchanged document re-ingested gets the same ids everywhere (an open reader's ids stay valid)."""
    db = tmp_path / "ids.db"
    build_store([gongan_doc, czj_doc], db, quiet=True)

    def dump() -> dict[str, list[tuple[object, ...]]]:
        c = sqlite3.connect(db)
        try:
            return {t: c.execute(f"SELECT * FROM [{t}] ORDER BY 1").fetchall() for t in SCHEMA
                    if t not in ("documents", "meta")}
        finally:
            c.close()

    before = dump()
    build_store([gongan_doc], db, quiet=True)
    assert dump() == before


# ---------------------------------------------------------------- invariance under conversion noise

def _figures(path: Path) -> set[tuple[object, ...]]:
    doc = parse_file(path)
    return {(t.kind, t.project, r.side, r.code, r.label, r.group_name, c.column, c.value)
            for t in doc.tables for r in t.rows for c in r.cells} | \
           {(t.kind, t.project, i.level1, i.level2, i.level3, i.value_raw) for t in doc.tables for i in t.indicators}


def _outline(path: Path) -> list[tuple[int, str]]:
    return [(s.level, s.path) for s in parse_file(path).sections]


def _renumber_hashes(text: str) -> str:
    """Numbered headings get a different number of # marks (the outline comes from the numbering)."""
    import re

    n = iter(range(10_000))
    return re.sub(r"^#{1,6}\s*(?=[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|第[一二三]部分)",
                  lambda m: "#" * (2 + next(n) % 4) + " ", text, flags=re.M)


def _no_hash_on_numbered(text: str) -> str:
    import re

    return re.sub(r"^#{1,6}\s*(?=[一二三四五六七八九十]+、[^\n*]*$)", "", text, flags=re.M)


def _no_lanci(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if not line.startswith("栏次"))


def _one_line_unit(text: str) -> str:
    import re

    return re.sub(r"(分局|财政局)\s*\n\(本级\)", r"\1(本级)", re.sub(r"\(本\s*\n级\)", "(本级)", text))


def _thousands(text: str) -> str:
    import re

    return re.sub(r"(?<=[\t>])(\d)(\d{3}\.\d\d)(?=[\t<\n])", r"\1,\2", text)


def _tables_reordered(text: str) -> str:
    """The 一般公共预算 支出表 moved before the 收入总表: kinds come from titles, not positions."""
    parts = text.split("\n## ")
    i = next(k for k, p in enumerate(parts) if p.startswith("单位预算收入总表"))
    j = next(k for k, p in enumerate(parts) if p.startswith("单位预算一般公共预算财政拨款支出表"))
    parts.insert(i, parts.pop(j))
    return "\n## ".join(parts)


NOISE = {"hashes": _renumber_hashes, "no-hash": _no_hash_on_numbered, "no-栏次": _no_lanci,
         "no-<b>": lambda t: t.replace("<b>", "").replace("</b>", ""), "unit-one-line": _one_line_unit,
         "thousands": _thousands, "reordered": _tables_reordered}


@pytest.mark.parametrize("noise", list(NOISE))
@pytest.mark.parametrize("which", ["gongan", "czj"])
def test_conversion_noise_changes_nothing(noise: str, which: str, tmp_path: Path, gongan_doc: Path,
                                          czj_doc: Path) -> None:
    src = gongan_doc if which == "gongan" else czj_doc
    text = src.read_text(encoding="utf-8")
    changed = NOISE[noise](text)
    assert changed != text or noise == "thousands" and which == "czj"
    p = tmp_path / f"{which}-{noise}.txt"
    p.write_text(changed, encoding="utf-8")
    assert _figures(p) == _figures(src)
    if noise not in ("reordered",):
        assert _outline(p) == _outline(src)
    assert parse_file(p).unit_name == parse_file(src).unit_name


def test_code_split_over_lei_kuan_xiang_columns(tmp_path: Path, gongan_doc: Path) -> None:
    """Older templates print the code in 类 / 款 / 项 columns, a 款 or 项 row carrying only its part."""
    old = ("序号\t功能分类科目\t\t合计\t基本支出\t项目支出\n\t科目编码\t科目名称\t\t\t\n栏次\t1\t2\t3\t4\t5\n"
           "1\t\t合计\t1656.00\t\t1656.00\n2\t212\t城乡社区支出\t1656.00\t\t1656.00\n"
           "3\t21208\t国有土地使用权出让收入安排的支出\t1656.00\t\t1656.00\n"
           "4\t2120899\t其他国有土地使用权出让收入安排的支出\t1656.00\t\t1656.00")
    new = ("序号\t功能分类科目\t\t\t\t合计\t基本支出\t项目支出\n\t类\t款\t项\t科目名称\t\t\t\n栏次\t1\t2\t3\t4\t5\t6\t7\n"
           "1\t\t\t\t合计\t1656.00\t\t1656.00\n2\t212\t\t\t城乡社区支出\t1656.00\t\t1656.00\n"
           "3\t\t08\t\t国有土地使用权出让收入安排的支出\t1656.00\t\t1656.00\n"
           "4\t\t\t99\t其他国有土地使用权出让收入安排的支出\t1656.00\t\t1656.00")
    text = gongan_doc.read_text(encoding="utf-8")
    assert text.count(old) == 1
    p = tmp_path / "lkx.txt"
    p.write_text(text.replace(old, new), encoding="utf-8")
    t = next(t for t in parse_file(p).tables if t.kind == "政府性基金预算财政拨款支出表")
    assert [(r.code, r.level, r.parent_code) for r in t.rows] == [
        (None, None, None), ("212", 1, None), ("21208", 2, "212"), ("2120899", 3, "21208")]
    assert t.columns == ("合计", "基本支出", "项目支出")


# ---------------------------------------------------------------- run-on narrative lines

RUN_ON = {
    "30 000 digits": "1" * 30_000,
    "one subject 3 000 times": "一般公共预算拨款4327.18万元，" * 3_000,
    "digits glued to a figure": "9" * 5_000 + "万元",
}


@pytest.mark.parametrize("name", list(RUN_ON))
def test_run_on_narrative_line_is_bounded(gongan_doc: Path, name: str) -> None:
    """The extractor's figure pattern starts only where a digit run starts and is bounded, and a
    statement quotes at most MAX_SENTENCE characters: time and stored text stay linear."""
    import time

    from askbudget.ingest import parse_bytes
    from askbudget.ingest.statements import MAX_SENTENCE

    lines = gongan_doc.read_text(encoding="utf-8").split("\n")
    i = next(k for k, line in enumerate(lines) if line.startswith("按照预算管理有关规定"))
    lines[i] += RUN_ON[name]
    t0 = time.perf_counter()
    doc = parse_bytes("\n".join(lines).encode(), "run-on.txt")
    assert time.perf_counter() - t0 < 2
    assert all(len(s.sentence) <= MAX_SENTENCE for s in doc.statements)
    assert all(s.value is None or s.value < 1e24 for s in doc.statements)  # no 5 000-digit figure
    # the real statements of the document are all still there
    base = {(s.subject, s.value, s.year) for s in parse_file(gongan_doc).statements}
    assert base <= {(s.subject, s.value, s.year) for s in doc.statements}


# ---------------------------------------------------------------- money units (docs/schema.md: cells in 万元)

def _money_cells(path: Path) -> dict[tuple[str, int, int], tuple[str, float]]:
    """(table title, row seq, col) → (raw, value) of every money figure of a parsed document."""
    from askbudget.ingest.reader import COUNTED_RE
    from askbudget.ingest.units import NON_MONEY_COLUMN_RE

    out = {}
    for t in parse_file(path).tables:
        for r in t.rows:
            for c in r.cells:
                if c.value is not None and not NON_MONEY_COLUMN_RE.search(c.column) \
                        and not COUNTED_RE.match(c.raw):
                    out[(t.title, r.seq, c.col)] = (c.raw, c.value)
    return out


def _reprint(src: Path, dst: Path, unit: str, scale: float, only: str | None = None) -> Path:
    """``src`` printed in ``unit`` (figures × ``scale``) — every table, or only the one titled ``only``:
    its 单位 lines and column unit notes say ``unit``, each money field of its rows is rescaled."""
    text = src.read_text(encoding="utf-8")
    lines = text.split("\n")
    parsed = parse_file(src)
    money = _money_cells(src)
    per_line: dict[int, set[str]] = {}
    other: dict[int, set[str]] = {}
    for t in parsed.tables:
        if only is not None and t.title != only:
            continue
        for i in range(t.line_start - 1, t.line_end):
            lines[i] = lines[i].replace("单位：万元", f"单位：{unit}").replace("单位: 万元", f"单位: {unit}")
        for r in t.rows:
            for c in r.cells:
                bucket = per_line if (t.title, r.seq, c.col) in money else other
                bucket.setdefault(c.line, set()).add(c.raw)
    from askbudget.ingest.reader import strip_tags

    for no, raws in per_line.items():
        fields = [strip_tags(f).strip() for f in lines[no - 1].split("\t")]
        lines[no - 1] = "\t".join(
            f"{parse_number(f) * scale:.{2 if scale >= 1 else 6}f}"  # type: ignore[operator]
            if f in raws and f not in other.get(no, set()) else f for f in fields)
    dst.write_text("\n".join(lines), encoding="utf-8")
    return dst


@pytest.mark.parametrize("unit,scale", [("元", 1e4), ("亿元", 1e-4), ("千元", 10.0)])
@pytest.mark.parametrize("which", ["gongan", "czj"])
def test_a_document_printed_in_another_unit_is_stored_in_wanyuan(tmp_path: Path, gongan_doc: Path, czj_doc: Path,
                                                                  which: str, unit: str, scale: float) -> None:
    """Every money cell of a document printed wholly in 元/亿元/千元 is stored as the same 万元 figure
    the 万元 original holds; raw keeps what was printed; documents.money_unit stays 万元."""
    src = gongan_doc if which == "gongan" else czj_doc
    doc = _reprint(src, tmp_path / f"{which}-{unit}.txt", unit, scale)
    want = _money_cells(src)
    got = _money_cells(doc)
    assert got.keys() == want.keys()
    wrong = {k: (got[k], want[k]) for k in want if abs(got[k][1] - want[k][1]) > 1e-6}
    assert not wrong, list(wrong.items())[:5]
    parsed = parse_file(doc)
    assert parsed.money_unit == "万元"
    assert any(f"printed in {unit}" in w.message for w in parsed.warnings)
    db = tmp_path / "u.db"
    build_store([doc], db, quiet=True)
    c = sqlite3.connect(db)
    assert c.execute("SELECT DISTINCT money_unit FROM documents").fetchall() == [("万元",)]
    # the arithmetic check finds exactly what it finds in the original (the sums hold in 万元)
    base = tmp_path / "b.db"
    build_store([src], base, quiet=True)
    b = sqlite3.connect(base)
    q = "SELECT rule, table_title, row, [column] FROM checks ORDER BY 1, 2, 3, 4"
    assert c.execute(q).fetchall() == b.execute(q).fetchall()


@pytest.mark.parametrize("unit,scale", [("元", 1e4), ("亿元", 1e-4)])
def test_one_table_in_another_unit_inside_a_wanyuan_document(tmp_path: Path, gongan_doc: Path,
                                                              unit: str, scale: float) -> None:
    """Cell-level: the 基本支出表 printed in 元 inside a 万元 document — 电费 (30206) 公用经费 is stored
    95 (万元) with raw as printed, every other table untouched, a warning names the 单位 line."""
    title = "单位预算一般公共预算财政拨款基本支出表"
    doc = _reprint(gongan_doc, tmp_path / "mixed.txt", unit, scale, only=title)
    parsed = parse_file(doc)
    t = next(t for t in parsed.tables if t.title == title)
    cell = next(c for r in t.rows if r.code == "30206" for c in r.cells if c.column == "公用经费")
    assert cell.value == pytest.approx(95.0, abs=1e-9)
    assert cell.raw == f"{95.0 * scale:.{2 if scale >= 1 else 6}f}"
    lines = doc.read_text(encoding="utf-8").split("\n")
    unit_line = next(i + 1 for i in range(t.line_start - 1, t.line_end) if lines[i] == f"单位：{unit}")
    assert [w.line for w in parsed.warnings if unit in w.message] == [unit_line]
    assert _money_cells(doc).items() - _money_cells(gongan_doc).items() == {
        (k, v) for k, v in _money_cells(doc).items() if k[0] == title}


@pytest.mark.parametrize("raw,value,warned", [
    ("95.00万元", 95.0, False),     # the table's own unit written out: no conversion, no warning
    ("950000元", 95.0, True),       # a figure in another unit than its table: converted, named
    ("950,000.00元", 95.0, True),
    ("0.0095亿元", 95.0, True),
    ("950,000.00", 950000.0, False),  # thousands separators, no unit: the table's unit
    ("(95.00)", -95.0, False),
    ("-95.00", -95.0, False),
])
def test_a_figure_with_its_own_unit(tmp_path: Path, gongan_doc: Path, raw: str, value: float, warned: bool) -> None:
    lines = gongan_doc.read_text(encoding="utf-8").split("\n")
    i = next(k for k, line in enumerate(lines) if line.startswith("6\t30206\t电费"))
    lines[i] = lines[i].replace("95.00", raw)
    p = tmp_path / "own-unit.txt"
    p.write_text("\n".join(lines), encoding="utf-8")
    parsed = parse_file(p)
    cells = [c for t in parsed.tables for r in t.rows for c in r.cells if c.line == i + 1 and c.raw == raw]
    assert cells and all(c.value == pytest.approx(value, abs=1e-9) for c in cells)
    assert any(w.line == i + 1 for w in parsed.warnings) == warned


@pytest.mark.parametrize("line", ["单位：千美元", "单位：港元", "单位：万美元"])
def test_an_unknown_money_unit_is_an_error_at_its_line(tmp_path: Path, gongan_doc: Path, line: str) -> None:
    from askbudget.errors import IngestError

    lines = gongan_doc.read_text(encoding="utf-8").split("\n")
    start = next(k for k, s in enumerate(lines) if s.startswith("## 单位预算一般公共预算财政拨款基本支出表"))
    i = next(k for k in range(start, len(lines)) if lines[k] == "单位：万元")
    lines[i] = line
    p = tmp_path / "unknown-unit.txt"
    p.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(IngestError) as ei:
        parse_file(p)
    assert ei.value.line == i + 1 and "unknown money unit" in ei.value.reason


def test_a_table_whose_pages_disagree_on_the_unit_is_an_error(tmp_path: Path, gongan_doc: Path) -> None:
    from askbudget.errors import IngestError

    lines = gongan_doc.read_text(encoding="utf-8").split("\n")
    t = next(t for t in parse_file(gongan_doc).tables if t.kind == "财政拨款收支总表")
    units = [k for k in range(t.line_start - 1, t.line_end) if lines[k] == "单位：万元"]
    assert len(units) >= 2, "the 财政拨款收支总表 spans two pages"
    lines[units[1]] = "单位：元"
    p = tmp_path / "two-units.txt"
    p.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(IngestError) as ei:
        parse_file(p)
    assert ei.value.line == units[1] + 1


# ---------------------------------------------------------------- a table of another document spliced in

def _splice(src: Path, other: Path, title: str) -> str:
    a, b = src.read_text(encoding="utf-8"), other.read_text(encoding="utf-8")

    def section(text: str) -> str:
        i = text.index(title)
        return text[i:text.index("\n## ", i + 1)]
    return a.replace(section(a), section(b))


@pytest.mark.parametrize("title", ["## 单位预算一般公共预算财政拨款基本支出表", "## 单位预算收支总表"])
def test_a_table_of_another_unit_is_left_out_with_a_warning(tmp_path: Path, gongan_doc: Path, czj_doc: Path,
                                                             title: str) -> None:
    """The 财政局's table pasted into the 分局's document — even as its first table: the document
    stays the 分局's (the code most tables print), the foreign table is left out (none of its figures
    become the 分局's) and a warning names the foreign unit line; every other table is as before."""
    text = _splice(gongan_doc, czj_doc, title)
    p = tmp_path / "spliced.txt"
    p.write_text(text, encoding="utf-8")
    parsed = parse_file(p)
    base = parse_file(gongan_doc)
    assert (parsed.unit_code, parsed.year) == (base.unit_code, base.year)
    lines = text.split("\n")
    start = next(k for k, s in enumerate(lines) if s.startswith(title))
    foreign = next(k for k in range(start, len(lines)) if lines[k].startswith("121001 ")) + 1
    assert [w.line for w in parsed.warnings if "left out" in w.message] == [foreign]
    t_title = title.removeprefix("## ")
    assert t_title not in {t.title for t in parsed.tables}
    assert {t.title for t in base.tables} - {t.title for t in parsed.tables} == {t_title}
    assert _money_cells(p).items() <= _money_cells(gongan_doc).items()


def test_a_table_of_another_year_is_left_out_with_a_warning(tmp_path: Path, gongan_doc: Path) -> None:
    lines = gongan_doc.read_text(encoding="utf-8").split("\n")
    start = next(k for k, s in enumerate(lines) if s.startswith("## 单位预算一般公共预算财政拨款基本支出表"))
    i = next(k for k in range(start, len(lines)) if lines[k].startswith("预算年度"))
    lines[i] = lines[i].replace("2023", "2022")
    p = tmp_path / "spliced-year.txt"
    p.write_text("\n".join(lines), encoding="utf-8")
    parsed = parse_file(p)
    assert parsed.year == 2023
    assert [w.line for w in parsed.warnings if "left out" in w.message] == [i + 1]
    assert "一般公共预算财政拨款基本支出表" not in {t.kind for t in parsed.tables}


def test_money_units_lexicon_is_valid_and_complete() -> None:
    from askbudget.ingest.units import STORE_UNIT, factors

    f = factors()
    assert f[STORE_UNIT] == 1.0 and f["元"] == 1e-4 and f["亿元"] == 1e4
    assert all(u.endswith("元") and v > 0 for u, v in f.items())


def _restate(lines: list[str], start: int, end: int, how: str) -> int:
    """Within lines[start:end] (a table printed in 元 by _reprint), state its unit another way;
    return the 1-based line that now states it."""
    unit_lines = [k for k in range(start, end) if lines[k] == "单位：元"]
    year_lines = [k for k in range(start, end) if lines[k].startswith("预算年度")]
    if how == "单位 line":
        return unit_lines[0] + 1
    for k in unit_lines:
        lines[k] = "（单位：元）" if how == "bracketed line" else ""
    if how == "bracketed line":
        return unit_lines[0] + 1
    if how == "beside the year":
        for k in year_lines:
            lines[k] += "    单位：元"
        return year_lines[0] + 1
    lines[start - 1] += "（单位：元）"  # how == "in the heading"
    return start


@pytest.mark.parametrize("how", ["单位 line", "bracketed line", "beside the year", "in the heading"])
def test_a_table_unit_however_it_is_stated(tmp_path: Path, gongan_doc: Path, how: str) -> None:
    title = "单位预算一般公共预算财政拨款基本支出表"
    doc = _reprint(gongan_doc, tmp_path / "mixed.txt", "元", 1e4, only=title)
    t0 = next(t for t in parse_file(doc).tables if t.title == title)
    lines = doc.read_text(encoding="utf-8").split("\n")
    line = _restate(lines, t0.line_start, t0.line_end, how)
    doc.write_text("\n".join(lines), encoding="utf-8")
    parsed = parse_file(doc)
    t = next(t for t in parsed.tables if t.kind == "一般公共预算财政拨款基本支出表")
    cell = next(c for r in t.rows if r.code == "30206" for c in r.cells if c.column == "公用经费")
    assert (cell.raw, cell.value) == ("950000.00", 95.0)
    assert [w.line for w in parsed.warnings if "printed in 元" in w.message] == [line]


@pytest.mark.parametrize("header", ["价值（元）", "价值 (金额单位: 元)", "价值(单位：元)"])
def test_a_column_with_its_own_unit(tmp_path: Path, gongan_doc: Path, header: str) -> None:
    """The 固定资产 价值 column printed in 元 (its header says so): stored in 万元, 数量 untouched."""
    text = gongan_doc.read_text(encoding="utf-8")
    base = next(t for t in parse_file(gongan_doc).tables if t.kind == "固定资产占用情况表")
    lines = text.split("\n")
    for k in range(base.line_start - 1, base.line_end):
        fields = lines[k].split("\t")
        if len(fields) == 3 and fields[2].startswith("价值"):
            fields[2] = header
        elif len(fields) == 3 and parse_number(fields[2]) is not None:
            fields[2] = f"{parse_number(fields[2]) * 1e4:.2f}"  # type: ignore[operator]
        lines[k] = "\t".join(fields)
    p = tmp_path / "col-unit.txt"
    p.write_text("\n".join(lines), encoding="utf-8")
    t = next(t for t in parse_file(p).tables if t.kind == "固定资产占用情况表")
    assert t.columns == base.columns == ("数量", "价值") or t.columns == base.columns

    def cells(tb: object) -> list[tuple[str, str, float | None]]:
        return [(r.label, c.column, c.value) for r in tb.rows for c in r.cells]  # type: ignore[attr-defined]
    got, want = cells(t), cells(base)
    assert len(got) == len(want)
    for (lg, cg, vg), (lw, cw, vw) in zip(got, want):
        assert (lg, cg) == (lw, cw)
        assert (vg is None and vw is None) or abs(vg - vw) < 1e-9, (lg, cg, vg, vw)  # type: ignore[operator]


@pytest.mark.parametrize("raw", ["9" * 400, "(" + "9" * 40 + ")", "1" * 19 + ".00"])
def test_an_overlong_figure_is_kept_raw_with_a_warning(tmp_path: Path, gongan_doc: Path, raw: str) -> None:
    lines = gongan_doc.read_text(encoding="utf-8").split("\n")
    i = next(k for k, line in enumerate(lines) if line.startswith("6\t30206\t电费"))
    lines[i] = lines[i].replace("95.00", raw)
    p = tmp_path / "long.txt"
    p.write_text("\n".join(lines), encoding="utf-8")
    parsed = parse_file(p)
    cells = [c for t in parsed.tables for r in t.rows for c in r.cells if c.line == i + 1 and c.raw == raw]
    assert cells and all(c.value is None for c in cells)
    assert any(w.line == i + 1 for w in parsed.warnings)


@pytest.mark.parametrize("unit,scale", [("元", 1e4), ("亿元", 1e-4)])
def test_a_document_in_another_unit_answers_as_the_wanyuan_one(tmp_path: Path, gongan_doc: Path, czj_doc: Path,
                                                                unit: str, scale: float) -> None:
    """The question side reads cells.value in documents.money_unit (万元): every stand-alone question
    of the corpus banks gets the same status, figure and unit from the document printed in 元/亿元
    as from the 万元 original — never 10 000× off."""
    from askbudget.assistant import Assistant

    asked = 0
    for src in (gongan_doc, czj_doc):
        from conftest import TEST_DATA as CORPUS

        bank = CORPUS / f"{src.stem}.questions.jsonl"
        if not bank.exists():
            continue
        asked += 1
        questions = [q["q"] for q in map(json.loads, bank.read_text(encoding="utf-8").splitlines())
                     if q.get("conv") is None]
        doc = _reprint(src, tmp_path / f"{src.stem}-{unit}.txt", unit, scale)
        stores = []
        for p in (src, doc):
            db = tmp_path / f"{p.stem}.db"
            build_store([p], db, quiet=True)
            stores.append(Assistant(str(db)))
        for q in questions:
            a, b = stores[0].ask(q), stores[1].ask(q)
            assert (b.status, b.unit) == (a.status, a.unit), q
            assert (a.value is None) == (b.value is None) and (a.value is None or abs(a.value - b.value) < 1e-6), (
                q, a.value, b.value)
    assert asked, "no question bank beside the corpus documents"


@pytest.fixture(scope="module")
def sanzhong_conn(tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    """A school (tests/data): its staffing sentence words things otherwise (内设 N 个处室, 在职教职工, 在校学生)."""
    db = tmp_path_factory.mktemp("sanzhong") / "s.db"
    build_store([Path(__file__).parent / "data" / "lunan-sanzhong-2025.txt"], db)
    return sqlite3.connect(db)


@pytest.mark.parametrize("key,value", [("科室数", "4"), ("科室所队", "校长办公室、教务处、德育处、总务处"),
                                       ("编制数", "120"), ("在职人数", "115"), ("退休人数", "12"),
                                       ("在校学生数", "1860")])
def test_staffing_facts_in_other_words(sanzhong_conn: sqlite3.Connection, key: str, value: str) -> None:
    got = sanzhong_conn.execute("SELECT value FROM facts WHERE key = ?", (key,)).fetchall()
    assert [r[0] for r in got] == [value]


def test_the_writer_s_cell_columns_are_the_schema_s_in_order() -> None:
    """Cells are written as tuples in ``write.CELL_COLUMNS`` order: it must be the cells table's."""
    from askbudget.ingest.write import CELL_COLUMNS

    assert CELL_COLUMNS == tuple(SCHEMA["cells"]["columns"])
