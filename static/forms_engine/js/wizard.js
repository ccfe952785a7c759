// The wizard page (no inline script: the site's CSP allows only files from 'self').
//
// 1. Live values: when an answer changes, the current step (unsaved) is posted to the live URL,
//    which answers with the computed values of the step (研发费用占比, 增长率 …, computed by the
//    server exactly as the score computes them) and the score panel. Nothing is stored.
// 2. Size guard: a step larger than the server accepts (data-max-post-bytes) is not sent; the
//    page says which field is too long, so nothing typed is lost. Files over their field's limit
//    (data-max-bytes) are caught the same way.
// 3. 【暂存】 in place: the step is posted in the background (Accept: application/json) and the
//    page stays as it is; the server answers with the new revision (carried by the next save) and
//    the notes beside the step's fields, so it does not render the page again. When it does not
//    store the step in place (a value over its limit, another tab saved first, control
//    characters), the page posts the classic way and the server shows why. A step with a file
//    chosen is always posted the classic way. When the server is busy (503 系统繁忙: its
//    database is restarting) the page says so and stays as typed; nothing is posted again.
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

  var saveStatus = document.getElementById("wizard-save-status");
  var UNAVAILABLE = "系统繁忙，本次未能暂存，请稍后再点【暂存】。已填写的内容都还在页面上，不会丢失。";
  var saving = false;
  var classic = false; // the next submit goes the classic way (the server asked for it)

  function say(kind, text) {
    if (!saveStatus) { return; }
    var alert = document.createElement("div");
    alert.className = "alert alert-" + kind;
    alert.textContent = text;
    saveStatus.replaceChildren(alert);
  }

  function showNotes(notes) {
    Object.keys(notes || {}).forEach(function (key) {
      var box = form.querySelector('.field-notes[data-field="' + key + '"]');
      if (!box) { return; }
      box.replaceChildren.apply(box, notes[key].map(function (text) {
        var line = document.createElement("p");
        line.className = "mb-0";
        line.textContent = text;
        return line;
      }));
      box.hidden = notes[key].length === 0;
    });
  }

  function hasFileChosen() {
    return Array.prototype.some.call(form.querySelectorAll('input[type="file"]'), function (input) {
      return input.files && input.files.length > 0;
    });
  }

  function inPlace(event) {
    var button = event.submitter;
    return !classic && window.fetch && button && button.name === "wizard_action" &&
      button.value === "save" && !hasFileChosen();
  }

  function saveInPlace(button) {
    var data = new FormData(form);
    data.set(button.name, button.value);
    saving = true;
    say("info", "正在暂存…"); // an earlier "已暂存" must not stand for this save
    fetch(window.location.href, { method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Requested-With": "XMLHttpRequest", "Accept": "application/json" } })
      .then(function (response) {
        if (response.status >= 500) { // the server or its database is busy (503 系统繁忙): stay
          return response.json().catch(function () { return {}; }).then(function (payload) {
            return { saved: false, unavailable: true, message: payload.message };
          });
        }
        return response.ok ? response.json() : { saved: false };
      })
      .then(function (payload) {
        saving = false;
        if (payload.unavailable) { // a classic POST would fail too and leave the page: keep it
          say("danger", payload.message || UNAVAILABLE);
          return;
        }
        if (!payload.saved) { // not stored: the classic POST stores what it can and shows why
          classic = true;
          button.click();
          return;
        }
        form.querySelector('input[name="wizard_revision"]').value = payload.revision;
        showNotes(payload.notes);
        say("success", payload.message);
      })
      .catch(function () {
        saving = false;
        say("danger", "未能暂存：网络连接中断，请稍后再点“暂存”。已填写的内容都还在页面上。");
      });
  }

  form.addEventListener("submit", function (event) {
    var problems = tooLarge();
    if (!problems.length) {
      if (saving) { event.preventDefault(); return; } // a second click while the first is on its way
      if (inPlace(event)) {
        event.preventDefault();
        saveInPlace(event.submitter);
      }
      return;
    }
    event.preventDefault();
    var box = document.getElementById("post-too-large");
    box.textContent = "未保存：" + problems.join("；") + "。请修改后再试，已填写的内容都还在页面上。";
    box.classList.remove("d-none");
    box.scrollIntoView({ block: "center" });
  });
})();
