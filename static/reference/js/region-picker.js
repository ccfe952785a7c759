/*
 * Cascading region picker (province → prefecture → county).
 * Enhances every [data-region-picker] rendered by portal.reference.widgets.RegionPickerWidget:
 * when a list changes, the next list is refilled from data-children-url and the lists below it
 * are emptied. Without this script the server renders the lists on each re-render.
 * No inline script and no external origin: loaded from /static/ under script-src 'self'.
 */
(function () {
  "use strict";

  function resetSelect(select) {
    var placeholder = select.options.length ? select.options[0].cloneNode(true) : new Option("", "");
    placeholder.selected = true;
    select.innerHTML = "";
    select.appendChild(placeholder);
  }

  function fillSelect(select, items) {
    resetSelect(select);
    items.forEach(function (item) {
      select.appendChild(new Option(item.name, item.code));
    });
    select.disabled = items.length === 0;
  }

  function enhance(picker) {
    var url = picker.getAttribute("data-children-url");
    if (!url) {
      return;
    }
    var selects = Array.prototype.slice.call(picker.querySelectorAll("select[data-region-level]"));

    function refill(index) {
      var select = selects[index];
      var below = selects.slice(index + 1);
      below.forEach(resetSelect);
      if (!below.length || !select.value) {
        return;
      }
      var next = below[0];
      next.disabled = true;
      fetch(url + "?parent=" + encodeURIComponent(select.value), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          fillSelect(next, data.items);
        })
        .catch(function () {
          next.disabled = false; // let the server-side re-render take over
        });
    }

    selects.forEach(function (select, index) {
      select.addEventListener("change", function () {
        refill(index);
      });
    });
    // A choice made before this script ran (a quick person on a slow page) has no options
    // below it yet: load them now.
    selects.forEach(function (select, index) {
      var next = selects[index + 1];
      if (next && select.value && next.options.length <= 1) {
        refill(index);
      }
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-region-picker]"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
