// The chart of the public figures page, drawn from the JSON the page carries (json_script, no inline code).
(function () {
  "use strict";
  var source = document.getElementById("public-figures");
  var canvas = document.getElementById("public-chart");
  if (!source || !canvas || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var colours = { received: "#1f3a68", answered: "#0d6efd", on_time: "#198754" };
  var datasets = ["received", "answered", "on_time"].map(function (key) {
    return { label: data.names[key], data: data.series[key], backgroundColor: colours[key] };
  });
  new window.Chart(canvas, {
    type: "bar",
    data: { labels: data.labels, datasets: datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
    }
  });
})();
