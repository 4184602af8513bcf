/* Edit forms on a weak connection (issue 4). htmx only; no framework.
   - A refused save (422) and the conflict screen (409) are swapped in like a success.
   - A save that never reached the server or got no usable answer keeps the form as typed and
     shows a Chinese message with a "重试" button. Each form carries a one-time key, so a retry
     (or a double tap) is applied at most once by the server.
   - A save refused because the login ended (401) keeps what was typed in this tab's
     sessionStorage; after logging in again the browser returns to the form, which is filled
     in again (the version it was read at included, so a change made meanwhile by someone else
     still meets the conflict screen) and says so. Nothing is saved without a new tap. */
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

  var DRAFT = "casework:draft:";
  var RESTORED = "已恢复您登录前填写但尚未保存的内容，请核对后点“保存”。";
  var FRESH = { _csrf_token: true, key: true };

  function keepDraft(form) {
    var values = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || FRESH[el.name] || el.type === "submit" || el.type === "button") { return; }
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { return; }
      values.push([el.name, el.value]);
    });
    try {
      window.sessionStorage.setItem(DRAFT + form.getAttribute("action"), JSON.stringify(values));
    } catch (e) { /* storage full or disabled: the login page still says the save failed */ }
  }

  function restoreDraft(form) {
    var key = DRAFT + form.getAttribute("action");
    var raw = null;
    try { raw = window.sessionStorage.getItem(key); } catch (e) { return; }
    if (!raw) { return; }
    window.sessionStorage.removeItem(key);
    var values = JSON.parse(raw);
    var names = {};
    values.forEach(function (pair) { names[pair[0]] = true; });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!names[el.name]) { return; }
      var mine = values.filter(function (pair) { return pair[0] === el.name; });
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = mine.some(function (pair) { return pair[1] === el.value; });
      } else {
        el.value = mine[0][1];
      }
    });
    var note = document.createElement("p");
    note.className = "restored";
    note.setAttribute("role", "status");
    note.textContent = RESTORED;
    form.insertBefore(note, form.firstChild);
  }

  function restoreAll(root) {
    var forms = root.querySelectorAll ? root.querySelectorAll("form[data-edit-form]") : [];
    Array.prototype.forEach.call(forms, restoreDraft);
  }

  document.addEventListener("htmx:beforeOnLoad", function (evt) {
    var form = formOf(evt);
    if (form && evt.detail.xhr.status === 401) { keepDraft(form); }
  });

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
    restoreAll(document);
  });
})();
