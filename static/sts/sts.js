// Page behaviour without inline script (the Content-Security-Policy allows scripts from static/ only).
//   <form data-confirm="Delete ...?">  asks before submitting
//   <select data-autosubmit>           submits its form when changed
//   <div class="modal" data-show-on-load data-focus="#id">  opens when the page loads
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
}, true);
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("select[data-autosubmit]") && field.form) {
    field.form.submit();
  }
});
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".modal[data-show-on-load]").forEach(function (dialog) {
    var focus = dialog.dataset.focus;
    if (focus) {
      dialog.addEventListener("shown.bs.modal", function () {
        var target = dialog.querySelector(focus);
        if (target) { target.focus(); }
      });
    }
    bootstrap.Modal.getOrCreateInstance(dialog).show();
  });
});
