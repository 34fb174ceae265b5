// Workload charts. Data comes from a <script type="application/json"> block (json_script),
// so no inline JavaScript is needed under the Content-Security-Policy.
(function () {
  "use strict";
  var source = document.getElementById("data-grafik");
  if (!source || !window.Chart) return;
  var data = JSON.parse(source.textContent);
  var colours = ["#0d6efd", "#198754", "#dc3545", "#fd7e14", "#6f42c1", "#20c997", "#6c757d"];
  data.datasets.forEach(function (d, i) {
    d.borderColor = colours[i % colours.length];
    d.backgroundColor = colours[i % colours.length];
    d.tension = 0.2;
  });
  new window.Chart(document.getElementById("grafik-kegiatan"), {
    type: "line",
    data: { labels: data.labels, datasets: data.datasets },
    options: { responsive: true, animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
  new window.Chart(document.getElementById("grafik-beban"), {
    type: "bar",
    data: {
      labels: data.beban.labels,
      datasets: [
        { label: "Keluarga PMKS", data: data.beban.keluarga, backgroundColor: "#0d6efd" },
        { label: "Tindak lanjut terlambat", data: data.beban.terlambat, backgroundColor: "#dc3545" },
      ],
    },
    options: { responsive: true, animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
  document.body.dataset.grafik = "siap";
})();
