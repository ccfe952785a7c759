// 【获取验证码】: after a code was sent, count down the resend wait on the button.
// Loaded from a file: the CSP forbids inline scripts.
(function () {
  "use strict";
  document.querySelectorAll("[data-sms-send]").forEach(function (button) {
    var alertSent = document.querySelector("[data-sms-sent]");
    if (!alertSent) { return; }
    var left = parseInt(button.getAttribute("data-wait"), 10) || 60;
    var label = button.textContent;
    button.disabled = true;
    var timer = window.setInterval(function () {
      left -= 1;
      if (left <= 0) {
        window.clearInterval(timer);
        button.disabled = false;
        button.textContent = label;
        return;
      }
      button.textContent = label + "（" + left + "s）";
    }, 1000);
    button.textContent = label + "（" + left + "s）";
  });
})();
