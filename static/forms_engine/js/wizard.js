// The wizard page (no inline script: the site's CSP allows only files from 'self').
//
// 1. Live values: when an answer changes, the current step (unsaved) is posted to the live URL,
//    which answers with the computed values of the step (研发费用占比, 增长率 …, computed by the
//    server exactly as the score computes them) and the score panel. Nothing is stored.
// 2. Size guard: a step larger than the server accepts (data-max-post-bytes) is not sent; the
//    page says which field is too long, so nothing typed is lost. Files over their field's limit
//    (data-max-bytes) are caught the same way.
(function () {
  "use strict";
  var form = document.getElementById("wizard-form");
  if (!form) { return; }
  var panel = document.getElementById("score-panel");
  var liveUrl = form.dataset.liveUrl;
  var timer = null;

  function showComputed(values) {
    Object.keys(values || {}).forEach(function (key) {
      var input = form.querySelector('[data-computed="' + key + '"]');
      if (input && input.value !== values[key]) {
        input.value = values[key];
        input.classList.add("computed-updating");
        setTimeout(function () { input.classList.remove("computed-updating"); }, 400);
      }
    });
  }

  function refresh() {
    if (!liveUrl) { return; }
    var data = new FormData(form);
    data.delete("wizard_action");
    fetch(liveUrl, { method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Requested-With": "XMLHttpRequest", "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (payload) {
        if (!payload) { return; }
        showComputed(payload.computed);
        if (panel && payload.panel !== null) { panel.innerHTML = payload.panel; }
      })
      .catch(function () { /* a convenience: the server computes again on save */ });
  }

  function schedule(delay) { clearTimeout(timer); timer = setTimeout(refresh, delay); }
  form.addEventListener("input", function (event) {
    if (event.target.type !== "file") { schedule(400); }
  });
  form.addEventListener("change", function (event) {
    if (event.target.type !== "file") { schedule(150); }
  });

  function utf8Bytes(text) {
    var bytes = 0;
    for (var i = 0; i < text.length; i += 1) {
      var code = text.charCodeAt(i);
      bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : (code >= 0xd800 && code < 0xdc00) ? 2 : 3;
    }
    return bytes;
  }

  function size(bytes) {
    return bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  function labelOf(element) {
    var label = element.id ? form.querySelector('label[for="' + element.id + '"]') : null;
    return label ? label.textContent.replace("*", "").trim() : (element.getAttribute("aria-label") || element.name);
  }

  function tooLarge() {
    var limit = parseInt(form.dataset.maxPostBytes || "0", 10);
    var problems = [];
    var total = 0;
    var largest = null;
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || element.disabled) { return; }
      if (element.type === "file") {
        var max = parseInt(element.dataset.maxBytes || "0", 10);
        Array.prototype.forEach.call(element.files || [], function (file) {
          if (max && file.size > max) {
            problems.push("“" + labelOf(element) + "”的文件超过 " + size(max));
          }
        });
        return;
      }
      if ((element.type === "checkbox" || element.type === "radio") && !element.checked) { return; }
      var size = utf8Bytes(element.value || "");
      total += size;
      if (!largest || size > largest.size) { largest = { element: element, size: size }; }
    });
    if (limit && total > limit && largest) {
      problems.push("内容过多（约 " + size(total) + "，上限 " + size(limit) + "），最长的是“" +
        labelOf(largest.element) + "”");
    }
    return problems;
  }

  form.addEventListener("submit", function (event) {
    var problems = tooLarge();
    if (!problems.length) { return; }
    event.preventDefault();
    var box = document.getElementById("post-too-large");
    box.textContent = "未保存：" + problems.join("；") + "。请修改后再试，已填写的内容都还在页面上。";
    box.classList.remove("d-none");
    box.scrollIntoView({ block: "center" });
  });
})();
