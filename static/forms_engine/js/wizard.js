// Live score preview: when an answer changes, post the current step (unsaved) to the score
// endpoint and replace the score panel. Nothing is stored by this request.
(function () {
  "use strict";
  var form = document.getElementById("wizard-form");
  var panel = document.getElementById("score-panel");
  if (!form || !panel || !form.dataset.scoreUrl) { return; }
  var timer = null;
  function refresh() {
    var data = new FormData(form);
    fetch(form.dataset.scoreUrl, { method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Requested-With": "XMLHttpRequest" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (html !== null) { panel.innerHTML = html; } })
      .catch(function () { /* the preview is a convenience; the server scores on save anyway */ });
  }
  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(refresh, 400); });
  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(refresh, 150); });
})();
