// Fields marked data-show-when="name=value" are shown only while the choice `name` is `value`
// (人工核验-only fields of 手机号修改, 法人-only fields of 实名认证). Without JavaScript every field
// stays visible and its help text says when it applies. Loaded from a file: the CSP forbids inline scripts.
(function () {
  "use strict";
  var controlled = Array.prototype.slice.call(document.querySelectorAll("[data-show-when]"));
  if (!controlled.length) { return; }

  function wrapper(element) {
    return element.closest("[id^='div_id_']") || element;
  }

  function current(form, name) {
    var checked = form.querySelector("[name='" + name + "']:checked");
    if (checked) { return checked.value; }
    var select = form.querySelector("select[name='" + name + "']");
    return select ? select.value : "";
  }

  function update() {
    controlled.forEach(function (element) {
      var rule = element.getAttribute("data-show-when").split("=");
      var form = element.form || document;
      wrapper(element).hidden = current(form, rule[0]) !== rule[1];
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target && event.target.name) { update(); }
  });
  update();
})();
