/* jobpicks explore table: rows come from data/<year>.json, written at build time.
   Everything from the data is inserted as text (never as HTML), and only http(s) links
   become hrefs, so a hostile job title stays inert. */
(function () {
  "use strict";
  var root = document.getElementById("jobpicks-explore");
  if (!root) { return; }
  var base = root.getAttribute("data-src");
  var LIMIT = 500;
  var state = { rows: [], loaded: {}, years: [], key: 0, desc: true };
  function el(id) { return document.getElementById(id); }
  function lower(value) { return String(value || "").toLowerCase(); }

  function fetchJson(path) {
    return fetch(base + path).then(function (response) {
      if (!response.ok) { throw new Error(path + ": HTTP " + response.status); }
      return response.json();
    });
  }

  function load(years) {
    var todo = years.filter(function (year) { return !state.loaded[year]; });
    return Promise.all(todo.map(function (year) {
      return fetchJson(year + ".json").then(function (data) {
        state.loaded[year] = true;
        state.rows = state.rows.concat(data.rows);
      });
    }));
  }

  function link(text, href) {
    var a = document.createElement("a");
    a.textContent = text;
    a.setAttribute("href", href);
    return a;
  }

  function cell(child) {
    var td = document.createElement("td");
    if (typeof child === "string" || typeof child === "number") {
      td.textContent = String(child);
    } else if (child) {
      td.appendChild(child);
    }
    return td;
  }

  function row(r) {
    var tr = document.createElement("tr");
    tr.appendChild(cell(link(r[0], "../" + r[6])));
    tr.appendChild(cell(r[7] ? link(r[1], "../companies/" + r[7] + "/") : r[1]));
    var safe = /^https?:\/\//i.test(r[5]);
    tr.appendChild(cell(safe ? link(r[2], r[5]) : r[2]));
    tr.appendChild(cell(r[3]));
    tr.appendChild(cell(r[4]));
    return tr;
  }

  function compare(a, b) {
    var x = a[state.key], y = b[state.key];
    var order = state.key === 4 ? x - y : lower(x).localeCompare(lower(y));
    if (order === 0) { order = lower(a[0]).localeCompare(lower(b[0])); }
    return state.desc ? -order : order;
  }

  function render() {
    var company = lower(el("jp-company").value.trim());
    var place = lower(el("jp-location").value.trim());
    var text = lower(el("jp-text").value.trim());
    var year = el("jp-year").value;
    var rows = state.rows.filter(function (r) {
      return (!year || r[0].slice(0, 4) === year) &&
        (!company || lower(r[1]).indexOf(company) >= 0) &&
        (!place || lower(r[3]).indexOf(place) >= 0) &&
        (!text || lower(r[1] + " " + r[2] + " " + r[3]).indexOf(text) >= 0);
    });
    rows.sort(compare);
    var body = root.querySelector("tbody");
    while (body.firstChild) { body.removeChild(body.firstChild); }
    rows.slice(0, LIMIT).forEach(function (r) { body.appendChild(row(r)); });
    el("jp-status").textContent = rows.length + (rows.length === 1 ? " pick" : " picks") +
      (rows.length > LIMIT ? ", showing the first " + LIMIT : "");
  }

  function selectYear() {
    var year = el("jp-year").value;
    el("jp-status").textContent = "Loading picks…";
    load(year ? [year] : state.years).then(render).catch(function (error) {
      el("jp-status").textContent = "Could not load picks: " + error.message;
    });
  }

  root.querySelectorAll("th button").forEach(function (button) {
    button.addEventListener("click", function () {
      var key = Number(button.getAttribute("data-key"));
      state.desc = state.key === key ? !state.desc : key === 0 || key === 4;
      state.key = key;
      root.querySelectorAll("th").forEach(function (th) { th.setAttribute("aria-sort", "none"); });
      button.parentNode.setAttribute("aria-sort", state.desc ? "descending" : "ascending");
      render();
    });
  });
  ["jp-company", "jp-location", "jp-text"].forEach(function (id) {
    el(id).addEventListener("input", render);
  });
  el("jp-year").addEventListener("change", selectYear);

  fetchJson("index.json").then(function (index) {
    state.years = index.years.map(String);
    var select = el("jp-year");
    while (select.firstChild) { select.removeChild(select.firstChild); }
    var all = document.createElement("option");
    all.value = "";
    all.textContent = "All years";
    select.appendChild(all);
    state.years.forEach(function (year) {
      var option = document.createElement("option");
      option.value = year;
      option.textContent = year + " (" + index.counts[year] + ")";
      select.appendChild(option);
    });
    if (state.years.length) { select.value = state.years[0]; }
    selectYear();
  }).catch(function (error) {
    el("jp-status").textContent = "Could not load picks: " + error.message;
  });
})();
