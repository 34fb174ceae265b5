// Small behaviours for every page. No inline scripts: the CSP allows only files from this site.
(function () {
  "use strict";

  // A form posted twice makes no duplicate: the button is disabled after the first submit.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return;  // searches, downloads
    if (form.dataset.submitted === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.submitted = "1";
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.disabled = true;
      // Keep the pressed button's name/value in the POST.
      if (event.submitter === button && button.name) {
        var hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = button.name;
        hidden.value = button.value;
        form.appendChild(hidden);
      }
    });
  });

  // A page restored by the Back button must not keep its buttons disabled.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submitted]").forEach(function (form) {
      delete form.dataset.submitted;
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
    });
  });

  // In a form marked data-no-enter, Enter in a text box must not press the first button
  // (on the PMKS decision form that would be "Verifikasi" while typing a rejection reason).
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches("form[data-no-enter] input[type=text]")) {
      event.preventDefault();
    }
  });

  // "Tambah anggota": clone the empty member form of a Django formset.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-formset-add]");
    if (!button) return;
    event.preventDefault();
    var prefix = button.dataset.formsetAdd;
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById(prefix + "-empty");
    var target = document.getElementById(prefix + "-forms");
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__nomor__/g, String(index + 1));
    target.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var first = target.lastElementChild.querySelector("input, select");
    if (first) first.focus();
  });

  // Confirmation for destructive choices (reject/close a PMKS record).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
  });
})();

// Print buttons (the CSP forbids inline onclick handlers).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
