/* askbudget chat widget — embed with one line:
 *   <script src="http://HOST:PORT/widget.js" defer></script>
 * The chat box appears where the script tag is (or inside the element named by data-target="#id").
 * It talks only to the server it was loaded from; nothing is fetched from anywhere else.
 * Every piece of user, answer and citation text is inserted with textContent, never as HTML.
 * The page embedding it must be an allowed origin (askbudget serve --cors https://helpdesk.example). */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script) {
    var all = document.querySelectorAll('script[src*="widget.js"]');
    script = all[all.length - 1];
  }
  if (!script || !script.src) { return; }
  var BASE = new URL(".", script.src);
  var SVGNS = "http://www.w3.org/2000/svg";
  var MONEY = { "元": 1, "万元": 1, "亿元": 1 };
  var uid = 0;

  function api(path) { return new URL(path, BASE).toString(); }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) { e.textContent = String(text); }
    return e;
  }

  function fmt(value, unit) {
    if (value === null || value === undefined || isNaN(value)) { return ""; }
    var money = Object.prototype.hasOwnProperty.call(MONEY, unit || "");
    var opts = money ? { minimumFractionDigits: 2, maximumFractionDigits: 4 } : { maximumFractionDigits: 4 };
    return Number(value).toLocaleString("zh-CN", opts);
  }

  function Widget(host) {
    this.conversation = null;
    this.busy = false;
    this.id = "ab" + (++uid);
    var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = api("widget.css");
    root.appendChild(css);

    var box = el("section", "ab");
    box.setAttribute("aria-label", "预算问答");
    var head = el("header", "ab-head");
    var titles = el("div", "ab-titles");
    titles.appendChild(el("h2", "ab-title", "预算问答"));
    titles.appendChild(el("p", "ab-sub", "根据单位预算公开文件作答，每个数字都注明出处"));
    head.appendChild(titles);
    var reset = el("button", "ab-reset", "新对话");
    reset.type = "button";
    reset.title = "清空对话，重新开始";
    head.appendChild(reset);
    box.appendChild(head);

    this.log = el("ol", "ab-log");
    this.log.setAttribute("role", "log");
    this.log.setAttribute("aria-live", "polite");
    this.log.setAttribute("aria-label", "对话记录");
    this.log.tabIndex = 0;
    box.appendChild(this.log);

    this.examples = el("div", "ab-examples");
    this.examples.setAttribute("aria-label", "可以这样问");
    box.appendChild(this.examples);

    var form = el("form", "ab-form");
    form.setAttribute("role", "search");
    var label = el("label", "ab-vh", "输入问题");
    label.htmlFor = this.id + "-q";
    this.input = el("input", "ab-input");
    this.input.id = this.id + "-q";
    this.input.type = "text";
    this.input.name = "q";
    this.input.autocomplete = "off";
    this.input.maxLength = 500;
    this.input.placeholder = "问一个预算问题，例如：电费多少";
    this.list = el("datalist");
    this.list.id = this.id + "-list";
    this.input.setAttribute("list", this.list.id);
    this.send = el("button", "ab-send", "提问");
    this.send.type = "submit";
    form.appendChild(label);
    form.appendChild(this.input);
    form.appendChild(this.list);
    form.appendChild(this.send);
    box.appendChild(form);
    root.appendChild(box);

    var self = this;
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      self.ask(self.input.value);
    });
    reset.addEventListener("click", function () {
      self.conversation = null;
      while (self.log.firstChild) { self.log.removeChild(self.log.firstChild); }
      self.examples.hidden = false;
      self.status("已开始新对话");
      self.input.focus();
    });
    var timer = null;
    this.input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { self.suggest(self.input.value); }, 150);
    });
    this.loadExamples();
  }

  Widget.prototype.status = function (text) {
    var li = el("li", "ab-note", text);
    this.log.appendChild(li);
  };

  Widget.prototype.loadExamples = function () {
    var self = this;
    fetch(api("api/examples")).then(function (r) { return r.ok ? r.json() : { examples: [] }; })
      .then(function (data) {
        var ex = (data.examples || []).slice(0, 4);
        if (!ex.length) { return; }
        self.examples.appendChild(el("span", "ab-examples-label", "可以这样问："));
        ex.forEach(function (q) { self.examples.appendChild(self.chipButton(q)); });
      }).catch(function () { /* examples are optional */ });
  };

  Widget.prototype.chipButton = function (q) {
    var self = this;
    var b = el("button", "ab-ask-chip", q);
    b.type = "button";
    b.addEventListener("click", function () { self.ask(q); });
    return b;
  };

  Widget.prototype.suggest = function (q) {
    var self = this;
    if (!q || q.length > 40) { return; }
    fetch(api("api/suggest?q=" + encodeURIComponent(q))).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || self.input.value !== q) { return; }
        while (self.list.firstChild) { self.list.removeChild(self.list.firstChild); }
        (data.suggestions || []).forEach(function (s) {
          var o = document.createElement("option");
          o.value = s.completion || s.text;
          o.label = (s.kind_label || "") + (s.detail ? " · " + s.detail : "");
          self.list.appendChild(o);
        });
      }).catch(function () { /* completions are optional */ });
  };

  Widget.prototype.ask = function (question) {
    var q = (question || "").trim();
    if (!q || this.busy) { return; }
    var self = this;
    this.busy = true;
    this.send.disabled = true;
    this.log.setAttribute("aria-busy", "true");
    this.examples.hidden = true;
    var mine = el("li", "ab-msg ab-user");
    mine.appendChild(el("span", "ab-vh", "你问："));
    mine.appendChild(el("p", "ab-q", q));
    this.log.appendChild(mine);
    var pending = el("li", "ab-msg ab-bot ab-pending", "正在查找…");
    this.log.appendChild(pending);
    this.scroll();
    this.input.value = "";
    var body = { question: q };
    if (this.conversation) { body.conversation = this.conversation; }
    fetch(api("api/ask"), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return { ok: false, error: "服务器返回了无法读取的内容", status: r.status }; });
    }).then(function (data) {
      pending.remove();
      if (data && data.ok !== false && data.status !== undefined && typeof data.status === "string") {
        if (data.conversation) { self.conversation = data.conversation; }
        self.log.appendChild(self.renderAnswer(data));
      } else {
        self.log.appendChild(self.renderError(data && data.error ? data.error : "请求失败"));
      }
    }).catch(function () {
      pending.remove();
      self.log.appendChild(self.renderError("无法连接问答服务"));
    }).then(function () {
      self.busy = false;
      self.send.disabled = false;
      self.log.removeAttribute("aria-busy");
      self.scroll();
      self.input.focus();
    });
  };

  Widget.prototype.scroll = function () { this.log.scrollTop = this.log.scrollHeight; };

  Widget.prototype.renderError = function (message) {
    var li = el("li", "ab-msg ab-bot ab-error");
    li.setAttribute("role", "alert");
    li.appendChild(el("p", "ab-text", message));
    return li;
  };

  Widget.prototype.renderAnswer = function (a) {
    var self = this;
    var li = el("li", "ab-msg ab-bot ab-" + a.status);
    li.appendChild(el("span", "ab-vh", "回答："));
    if (a.status === "answered" && a.value !== null && a.value !== undefined) {
      var fig = el("p", "ab-figure");
      fig.appendChild(el("span", "ab-num", fmt(a.value, a.unit)));
      if (a.unit) { fig.appendChild(el("span", "ab-unit", a.unit)); }
      li.appendChild(fig);
    }
    if (a.text) { li.appendChild(el("p", "ab-text", a.text)); }
    if (a.interpretation) { li.appendChild(el("p", "ab-interp", "理解为：" + a.interpretation)); }
    if (a.items && a.items.length) { li.appendChild(this.chart(a.items)); }
    if (a.derivation) { li.appendChild(el("p", "ab-derivation", "算法：" + a.derivation)); }
    if (a.citations && a.citations.length) {
      var src = el("div", "ab-sources");
      var lab = el("span", "ab-sources-label", "来源");
      lab.id = this.id + "-src" + (++uid);
      src.appendChild(lab);
      var ul = el("ul", "ab-chips");
      ul.setAttribute("aria-labelledby", lab.id);
      groupCitations(a.citations).slice(0, 8).forEach(function (g) {
        var chip = el("li", "ab-chip");
        chip.appendChild(el("span", "ab-chip-table", g.table));
        var rest = [];
        if (g.rows.length) {
          rest.push(g.rows.slice(0, 4).join("、") + (g.rows.length > 4 ? " 等" + g.rows.length + "行" : ""));
        }
        if (g.columns.length === 1) { rest.push(g.columns[0]); }
        if (rest.length) { chip.appendChild(el("span", "ab-chip-where", " · " + rest.join(" · "))); }
        chip.title = g.where;
        ul.appendChild(chip);
      });
      src.appendChild(ul);
      li.appendChild(src);
    }
    if (a.status !== "answered" && a.suggestions && a.suggestions.length) {
      var sug = el("div", "ab-suggest");
      sug.appendChild(el("span", "ab-suggest-label", "您可以问："));
      a.suggestions.forEach(function (s) { sug.appendChild(self.chipButton(s)); });
      li.appendChild(sug);
    }
    return li;
  };

  Widget.prototype.chart = function (items) {
    var shown = items.filter(function (i) { return typeof i.value === "number" && isFinite(i.value); }).slice(0, 12);
    var fig = el("figure", "ab-chart");
    if (!shown.length) { return fig; }
    var max = Math.max.apply(null, shown.map(function (i) { return Math.abs(i.value); })) || 1;
    var rowH = 26, labelW = 150, valueW = 170, barW = 230, W = labelW + barW + valueW, H = shown.length * rowH + 4;
    var s = svg("svg", { viewBox: "0 0 " + W + " " + H, width: "100%", role: "img", "class": "ab-svg" });
    var summary = shown.map(function (i) { return i.label + " " + fmt(i.value, i.unit) + (i.unit || ""); }).join("，");
    s.setAttribute("aria-label", "柱状图：" + summary);
    s.appendChild(svg("title", {}, "柱状图：" + summary));
    shown.forEach(function (it, k) {
      var y = k * rowH + 2;
      var label = it.label.length > 11 ? it.label.slice(0, 10) + "…" : it.label;
      var t = svg("text", { x: labelW - 8, y: y + rowH / 2 + 5, "text-anchor": "end", "class": "ab-bar-label" }, label);
      t.appendChild(svg("title", {}, it.label));
      s.appendChild(t);
      s.appendChild(svg("rect", { x: labelW, y: y + 4, width: barW, height: rowH - 8, rx: 3, "class": "ab-bar-track" }));
      var w = Math.max(2, Math.round(barW * Math.abs(it.value) / max));
      s.appendChild(svg("rect", { x: labelW, y: y + 4, width: w, height: rowH - 8, rx: 3, "class": "ab-bar" }));
      var v = fmt(it.value, it.unit) + (typeof it.share === "number" ? " · " + it.share.toFixed(1) + "%" : "");
      s.appendChild(svg("text", { x: labelW + barW + 8, y: y + rowH / 2 + 5, "class": "ab-bar-value" }, v));
    });
    fig.appendChild(s);
    var unit = shown[0].unit;
    var cap = el("figcaption", "ab-chart-caption",
      (items.length > shown.length ? "前" + shown.length + "项，共" + items.length + "项" : "共" + items.length + "项") +
      (unit ? "，单位：" + unit : ""));
    fig.appendChild(cap);
    return fig;
  };

  /* One chip per table (and document): the rows and the column it was read from. */
  function groupCitations(citations) {
    var groups = [], byKey = {};
    citations.forEach(function (c) {
      var key = [c.document, c.table].join("\u0000");
      var g = byKey[key];
      if (!g) {
        g = byKey[key] = { table: c.table || "", rows: [], columns: [],
          where: [c.unit, c.year ? c.year + "年" : "", c.document].filter(function (p) { return p; }).join(" ") };
        groups.push(g);
      }
      if (c.row && g.rows.indexOf(c.row) < 0) { g.rows.push(c.row); }
      if (c.column && g.columns.indexOf(c.column) < 0) { g.columns.push(c.column); }
    });
    return groups;
  }

  function mount() {
    var target = script.getAttribute("data-target");
    var host = target ? document.querySelector(target) : null;
    if (!host) {
      host = document.createElement("div");
      host.className = "askbudget-widget";
      if (document.body && document.body.contains(script)) {
        script.parentNode.insertBefore(host, script.nextSibling);
      } else {
        document.body.appendChild(host);  /* the tag sits in <head>: put the box at the end of the page */
      }
    }
    window.askbudgetWidget = new Widget(host);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }
}());
