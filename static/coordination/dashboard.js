// Trend charts of the leaders' dashboard, drawn from the JSON the page carries (json_script, no inline code).
(function () {
  "use strict";
  var source = document.getElementById("dashboard-trend");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var colours = {
    petitions_received: "#1f3a68",
    petitions_on_time: "#198754",
    petitions_late: "#e0a800",
    petitions_overdue: "#c0392b",
    tasks_done_on_time: "#198754",
    tasks_done_late: "#e0a800",
    tasks_overdue: "#c0392b",
    meetings_held: "#1f3a68"
  };

  function dataset(key, type, extra) {
    var set = {
      label: data.names[key],
      data: data.series[key],
      backgroundColor: colours[key],
      borderColor: colours[key],
      type: type
    };
    return Object.assign(set, extra || {});
  }

  var common = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    interaction: { mode: "index", intersect: false },
    plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
    scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
  };

  var petitions = document.getElementById("chart-petitions");
  if (petitions) {
    new window.Chart(petitions, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          dataset("petitions_received", "bar"),
          dataset("petitions_on_time", "bar"),
          dataset("petitions_late", "bar"),
          dataset("petitions_overdue", "bar")
        ]
      },
      options: common
    });
  }

  var tasks = document.getElementById("chart-tasks");
  if (tasks) {
    new window.Chart(tasks, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          dataset("tasks_done_on_time", "bar", { stack: "tasks" }),
          dataset("tasks_done_late", "bar", { stack: "tasks" }),
          dataset("tasks_overdue", "bar", { stack: "tasks" }),
          dataset("meetings_held", "line", { stack: "meetings", tension: 0.25, pointRadius: 3, backgroundColor: "#ffffff", borderWidth: 2 })
        ]
      },
      options: Object.assign({}, common, {
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } }
      })
    });
  }
})();

// Choosing a year leaves the date range (which the page would otherwise count instead of the year).
(function () {
  "use strict";
  var year = document.getElementById("dash-year");
  if (!year) {
    return;
  }
  year.addEventListener("change", function () {
    if (!year.value) {
      return;
    }
    ["dash-from", "dash-to"].forEach(function (id) {
      var field = document.getElementById(id);
      if (field) {
        field.value = "";
      }
    });
  });
})();
