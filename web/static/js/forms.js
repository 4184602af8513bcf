/* Edit forms on a weak connection (issue 4). htmx only; no framework.
   - A refused save (422) and the conflict screen (409) are swapped in like a success.
   - A save that never reached the server or got no usable answer keeps the form as typed and
     shows a Chinese message with a "重试" button. Each form carries a one-time key, so a retry
     (or a double tap) is applied at most once by the server. */
(function () {
  "use strict";
  var SWAP_STATUSES = { 409: true, 422: true };
  var LOST = "网络连接中断，保存没有完成。您填写的内容仍在本页，请检查网络后点“重试”。";
  var FAILED = "服务器暂时没有完成保存（错误 {status}）。您填写的内容仍在本页，请稍后点“重试”。";
  var EXPIRED = "页面已过期或登录已失效，保存没有完成。请先复制需要的内容，再刷新页面重新填写。";

  function formOf(evt) {
    var elt = evt.detail && evt.detail.elt;
    return elt && elt.closest ? elt.closest("form[data-edit-form]") : null;
  }

  function report(form, text, canRetry) {
    var box = form.querySelector(".send-error");
    if (!box) { window.alert(text); return; }
    box.querySelector(".send-error-text").textContent = text;
    box.querySelector("[data-retry]").hidden = !canRetry;
    box.hidden = false;
    box.scrollIntoView({ block: "center" });
  }

  document.addEventListener("htmx:beforeSwap", function (evt) {
    if (SWAP_STATUSES[evt.detail.xhr.status]) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });

  document.addEventListener("htmx:beforeRequest", function (evt) {
    var form = formOf(evt);
    var box = form && form.querySelector(".send-error");
    if (box) { box.hidden = true; }
  });

  document.addEventListener("htmx:sendError", function (evt) {
    var form = formOf(evt);
    if (form) { report(form, LOST, true); }
  });

  document.addEventListener("htmx:timeout", function (evt) {
    var form = formOf(evt);
    if (form) { report(form, LOST, true); }
  });

  document.addEventListener("htmx:responseError", function (evt) {
    var form = formOf(evt);
    var status = evt.detail.xhr.status;
    if (!form || SWAP_STATUSES[status]) { return; }
    if (status === 401 || status === 403) { report(form, EXPIRED, false); return; }
    report(form, FAILED.replace("{status}", String(status)), true);
  });

  document.addEventListener("click", function (evt) {
    var button = evt.target.closest ? evt.target.closest("[data-retry]") : null;
    if (!button) { return; }
    var form = button.closest("form[data-edit-form]");
    if (form) {
      button.closest(".send-error").hidden = true;
      if (form.requestSubmit) { form.requestSubmit(); } else { window.htmx.trigger(form, "submit"); }
    }
  });

  if (window.htmx) { window.htmx.config.timeout = 30000; }
  document.addEventListener("DOMContentLoaded", function () {
    if (window.htmx) { window.htmx.config.timeout = 30000; }
  });
})();
