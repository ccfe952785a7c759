// 统计概览: one ECharts chart per section; a click on a bar or slice opens the filtered queue.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || !window.echarts) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var charts = [];

  function bar(series, horizontal) {
    var category = { type: "category", data: series.labels, axisLabel: { interval: 0, rotate: horizontal ? 0 : 30 } };
    var value = { type: "value", minInterval: 1 };
    return {
      grid: { left: horizontal ? 110 : 50, right: 20, top: 20, bottom: horizontal ? 30 : 70 },
      tooltip: { trigger: "axis" },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? Object.assign(category, { inverse: true }) : value,
      series: [{ type: "bar", data: series.values, label: { show: true, position: horizontal ? "right" : "top" } }],
    };
  }

  function pie(series) {
    return {
      tooltip: { trigger: "item" },
      legend: { bottom: 0 },
      series: [
        {
          type: "pie",
          radius: ["35%", "65%"],
          data: series.labels.map(function (label, i) {
            return { name: label, value: series.values[i] };
          }),
          label: { formatter: "{b}\n{c}" },
        },
      ],
    };
  }

  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var key = element.getAttribute("data-chart");
    var series = data[key];
    if (!series || !series.values.length) {
      element.hidden = true;
      return;
    }
    if (key === "region" && series.labels.length > 12) {
      element.style.height = 24 * series.labels.length + 60 + "px";
    }
    var chart = window.echarts.init(element);
    chart.setOption(key === "level" ? pie(series) : bar(series, key === "region"));
    chart.on("click", function (params) {
      var url = series.urls[params.dataIndex];
      if (url) {
        window.location.href = url;
      }
    });
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) {
      chart.resize();
    });
  });
})();
