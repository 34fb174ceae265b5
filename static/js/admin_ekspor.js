// django-import-export's export page: its "select all" box calls onSelectToggleChange through an
// inline onchange attribute, which the Content-Security-Policy blocks. Attach it here instead.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input.select-toggle").forEach(function (box) {
    box.addEventListener("change", function (event) {
      if (typeof onSelectToggleChange === "function") {
        onSelectToggleChange(event);
      }
    });
  });
});
