/* jobpicks explore table: rows come from data/<year>.json, written at build time; summaries
   and reasons from data/text-<year>.json, fetched only when the text box is used. Text
   matches what a job was (company, title, place, the posting's summary); the scorer's
   reasons only with "Search reasons too", since "Lacks Python" is no Python job.
   Filters and sort live in the address (?company=acme&mode=remote&sort=4&dir=desc), so a
   view can be bookmarked and the back button steps through earlier views.
   Everything from the data is inserted as text (never as HTML), and only http(s) links
   become hrefs, so a hostile job title stays inert. */
(function () {
  "use strict";
  var root = document.getElementById("jobpicks-explore");
  if (!root) { return; }
  var base = root.getAttribute("data-src");
  // Rows drawn at once; "Show more" draws the next ones. A table of thousands of rows is a
  // page tens of thousands of pixels tall and slow to draw.
  var PAGE = 100;
  var COMMIT_MS = 600;
  var ALL = "all";
  // Columns of a row (see EXPLORE_COLUMNS in generator/site/derive.py).
  var DATE = 0, COMPANY = 1, TITLE = 2, PLACE = 3, SCORE = 4, URL = 5, SLUG = 6,
    MODE = 7, PAY = 8, VISA = 9, LEVEL = 10, POSTED = 11, CLOSED = 12, FIRST_SEEN = 13,
    REPOSTS = 14, ID = 15;
  var state = {
    rows: [], text: [], loaded: {}, textLoaded: {}, years: [], key: 0, desc: true,
    matched: [], shown: 0, bands: [], periods: {}
  };
  var fields = Array.prototype.slice.call(root.querySelectorAll("[data-param]"));
  var timer = null;

  function el(id) { return document.getElementById(id); }
  // Lower case without accents, as Python folds (generator/text.py, `fold`): "Müller",
  // "Ørsted", "Straße" match "muller", "orsted", "strasse". Characters that dropping
  // accents does not fold (Ø, Ł, ß, Æ, Đ, Greek, Cyrillic) come from index.json's table.
  var folding = {};
  var has = Object.prototype.hasOwnProperty;
  function fold(value) {
    var text = String(value || "");
    if (/[^\x00-\x7f]/.test(text)) {
      text = text.replace(/[^\x00-\x7f]/gu, function (ch) {
        return has.call(folding, ch) ? folding[ch] : ch;
      }).normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    }
    return text.toLowerCase();
  }

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
        if (state.loaded[year]) { return; }
        state.loaded[year] = true;
        // Rows come day by day in each day's pick order (explore_files), so a row's place
        // in its day is its card's anchor there: #pick-1, #pick-2, ... (render.pick_anchor).
        var day = "", place = 0;
        data.rows.forEach(function (r, n) {
          place = r[DATE] === day ? place + 1 : 1;
          day = r[DATE];
          r.year = year; r.n = n; r.place = place;
        });
        state.rows = state.rows.concat(data.rows);
      });
    }));
  }

  function loadText(years) {
    var todo = years.filter(function (year) { return !state.textLoaded[year]; });
    return Promise.all(todo.map(function (year) {
      return fetchJson("text-" + year + ".json").then(function (data) {
        state.textLoaded[year] = { summary: data.summary.map(fold), reason: data.reason.map(fold) };
      });
    }));
  }

  function selectedYears() {
    var year = el("jp-year").value;
    return year === ALL ? state.years : [year];
  }

  // -- the address --------------------------------------------------------------------------

  function query() {
    var params = new URLSearchParams();
    fields.forEach(function (field) {
      var name = field.getAttribute("data-param");
      if (field.type === "checkbox") {
        if (field.checked) { params.set(name, "1"); }
      } else if (field.value && !((name === "period" || name === "currency") &&
          !el("jp-pay").value)) {
        params.set(name, field.value);
      }
    });
    if (state.key !== 0 || !state.desc) {
      params.set("sort", String(state.key));
      params.set("dir", state.desc ? "desc" : "asc");
    }
    var text = params.toString();
    return text ? "?" + text : "";
  }

  function commit(push) {
    clearTimeout(timer);
    var next = query();
    if (next === window.location.search) { return; }
    var url = window.location.pathname + next + window.location.hash;
    if (push) {
      history.pushState(null, "", url);
    } else {
      history.replaceState(null, "", url);
    }
  }

  function ensureOption(select, value) {
    if (!value) { return; }
    var found = Array.prototype.some.call(select.options, function (o) { return o.value === value; });
    if (!found) {
      var option = document.createElement("option");
      option.value = value;
      option.textContent = value;
      select.appendChild(option);
    }
  }

  function restore() {
    var params = new URLSearchParams(window.location.search);
    fields.forEach(function (field) {
      var name = field.getAttribute("data-param");
      var value = params.get(name);
      if (field.type === "checkbox") {
        field.checked = value === "1";
      } else if (field.tagName === "SELECT") {
        // Currencies are ISO codes, whatever case an address was typed in (MinPay does so).
        if (name === "currency" && value) {
          value = value.toUpperCase();
          ensureOption(field, value);
        }
        if (name === "year") {
          // No year in the address: the newest, as a first visit shows.
          field.value = value === ALL || state.years.indexOf(value) >= 0 ? value :
            state.years[0] || ALL;
        } else if (name === "period") {
          // An unknown period ("week") would compare as NaN and hide every row.
          field.value = has.call(state.periods, value) ? value : "year";
        } else {
          field.value = value || "";
        }
      } else {
        field.value = value || "";
      }
    });
    // The facets fold away on a phone, so the table shows on the first screen; a wide
    // screen, or an address that sets one (other than the year), shows them.
    var facets = el("jp-facets");
    var set = Array.prototype.some.call(facets.querySelectorAll("[data-param]"), function (f) {
      var name = f.getAttribute("data-param");
      return name !== "year" && params.has(name);
    });
    if (set || window.matchMedia("(min-width: 45em)").matches) { facets.open = true; }
    var key = Number(params.get("sort"));
    state.key = key >= 0 && key <= 4 ? key : 0;
    state.desc = params.get("dir") !== "asc";
    showSort();
  }

  // -- the table ----------------------------------------------------------------------------

  function link(text, href) {
    var a = document.createElement("a");
    a.textContent = text;
    a.setAttribute("href", href);
    return a;
  }

  function cell(child, className) {
    var td = document.createElement("td");
    if (className) { td.className = className; }
    if (typeof child === "string" || typeof child === "number") {
      td.textContent = String(child);
    } else if (child) {
      td.appendChild(child);
    }
    return td;
  }

  // Dates as the site writes them (generator/site/dates.py): "23 Nov 2026"; "2 Oct" when
  // `today` (an ISO date) is in the same year.
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  function dateText(iso, today) {
    var p = iso.split("-");
    var text = Number(p[2]) + " " + MONTHS[Number(p[1]) - 1];
    return today && today.slice(0, 4) === p[0] ? text : text + " " + p[0];
  }

  // A repost's words, as its card says them (generator/site/render.py, `repost_text`).
  function repostText(r) {
    var n = r[REPOSTS];
    var times = n === 1 ? "once" : n === 2 ? "twice" : n + " times";
    var seen = r[FIRST_SEEN] ? "first seen " + dateText(r[FIRST_SEEN], r[DATE]) : "";
    return [seen, n ? "reposted " + times : ""].filter(Boolean).join(", ");
  }

  function dayPage(date) { return "../picks/" + date.slice(0, 4) + "/" + date + "/"; }

  // The colour bands of the site's score badges, from index.json ([floor, name], highest first).
  function band(score) {
    var found = state.bands.filter(function (b) { return score >= b[0]; })[0];
    return found ? found[1] : "low";
  }

  // Where marks.js puts the row's Applied, Not for me and Save (actions.html on the cards).
  function marks(r) {
    var span = document.createElement("span");
    [["pick", ID], ["url", URL], ["title", TITLE], ["company", COMPANY], ["day", DATE]].forEach(function (kv) {
      span.setAttribute("data-" + kv[0], r[kv[1]]);
    });
    return span;
  }

  function row(r) {
    var tr = document.createElement("tr");
    if (r[CLOSED]) {
      tr.className = "jp-closed";
      tr.title = "Closed " + dateText(r[CLOSED]);
    }
    tr.appendChild(cell(link(dateText(r[DATE]), dayPage(r[DATE]) + "#pick-" + r.place), "jp-date"));
    tr.appendChild(cell(r[SLUG] ? link(r[COMPANY], "../companies/" + r[SLUG] + "/") : r[COMPANY]));
    var safe = /^https?:\/\//i.test(r[URL]);
    var title = safe ? link(r[TITLE], r[URL]) : document.createTextNode(r[TITLE]);
    var span = document.createElement("span");
    span.appendChild(title);
    if (r[CLOSED]) { span.appendChild(document.createTextNode(" (closed " + dateText(r[CLOSED]) + ")")); }
    if (r[REPOSTS] || r[FIRST_SEEN]) {
      var repost = document.createElement("span");
      repost.className = "jp-repost";
      repost.textContent = repostText(r);
      span.appendChild(document.createTextNode(" "));
      span.appendChild(repost);
    }
    if (safe && r[ID]) { span.appendChild(marks(r)); }
    tr.appendChild(cell(span));
    tr.appendChild(cell(r[PLACE], "jp-location"));
    var score = document.createElement("span");
    score.className = "jp-score jp-score--" + band(r[SCORE]);
    score.textContent = r[SCORE];
    tr.appendChild(cell(score));
    return tr;
  }

  function compare(a, b) {
    var x = a[state.key], y = b[state.key];
    var order = state.key === SCORE ? x - y : fold(x).localeCompare(fold(y));
    if (order === 0) { order = String(a[DATE]).localeCompare(String(b[DATE])); }
    return state.desc ? -order : order;
  }

  function daysBetween(later, earlier) {
    return (Date.parse(later) - Date.parse(earlier)) / 86400000;
  }

  function filters() {
    var pay = Number(el("jp-pay").value);
    var fresh = el("jp-fresh").value;
    return {
      company: fold(el("jp-company").value.trim()),
      place: fold(el("jp-location").value.trim()),
      // Every word must match, each anywhere: "python berlin" finds a Python job in Berlin.
      words: fold(el("jp-text").value).split(/\s+/).filter(Boolean),
      year: el("jp-year").value === ALL ? "" : el("jp-year").value,
      mode: el("jp-mode").value,
      level: el("jp-level").value,
      visa: el("jp-visa").value,
      pay: pay > 0 ? pay : 0,
      currency: el("jp-currency").value,
      period: el("jp-period").value,
      fresh: fresh === "" ? -1 : Number(fresh),
      open: el("jp-open").checked,
      reposted: el("jp-reposted").checked,
      reasons: el("jp-reasons").checked
    };
  }

  // A minimum pay means what it means in jobpicks.yml (models.MinPay.reaches): the top of
  // the stated range, converted to a year at the figures index.json gives (12 months, 2,080
  // hours), against the minimum converted the same way, in the same currency. Pay in another
  // currency, or none, cannot be compared (null), and a filter leaves it out.
  function reaches(pay, f) {
    if (!pay || pay[2] !== f.currency) { return null; }
    return pay[1] * state.periods[pay[3]] >= f.pay * state.periods[f.period];
  }

  function matches(f, r) {
    if (f.year && r[DATE].slice(0, 4) !== f.year) { return false; }
    if (f.company && fold(r[COMPANY]).indexOf(f.company) < 0) { return false; }
    if (f.place && fold(r[PLACE]).indexOf(f.place) < 0) { return false; }
    if (f.mode && r[MODE] !== f.mode) { return false; }
    if (f.level && r[LEVEL] !== f.level) { return false; }
    if (f.visa && r[VISA] !== f.visa) { return false; }
    if (f.open && r[CLOSED]) { return false; }
    if (f.reposted && !r[REPOSTS]) { return false; }
    if (f.pay && reaches(r[PAY], f) !== true) { return false; }
    if (f.fresh >= 0 && (!r[POSTED] || daysBetween(r[DATE], r[POSTED]) > f.fresh)) {
      return false;
    }
    if (f.words.length) {
      var extra = state.textLoaded[r.year];
      var hay = fold(r[COMPANY] + " " + r[TITLE] + " " + r[PLACE]) + " " +
        (extra ? extra.summary[r.n] + (f.reasons ? " " + extra.reason[r.n] : "") : "");
      if (!f.words.every(function (word) { return hay.indexOf(word) >= 0; })) { return false; }
    }
    return true;
  }

  // The currencies the picks state, the most stated first: a minimum pay is in one of them,
  // the first unless the address or the reader chooses another.
  function fillCurrencies() {
    var select = el("jp-currency");
    var seen = {};
    state.rows.forEach(function (r) { if (r[PAY]) { seen[r[PAY][2]] = (seen[r[PAY][2]] || 0) + 1; } });
    Object.keys(seen).sort(function (a, b) { return seen[b] - seen[a] || (a < b ? -1 : 1); })
      .forEach(function (code) { ensureOption(select, code); });
    if (!select.value && select.options.length) { select.value = select.options[0].value; }
  }

  function render() {
    var f = filters();
    state.matched = state.rows.filter(function (r) { return matches(f, r); });
    state.matched.sort(compare);
    if (f.words.length) {
      // What a job was first: rows whose title has every word, then the others, each in
      // the chosen order ("python" finds Python jobs before jobs whose summary mentions it).
      var inTitle = function (r) {
        var title = fold(r[TITLE]);
        return f.words.every(function (word) { return title.indexOf(word) >= 0; });
      };
      state.matched = state.matched.filter(inTitle)
        .concat(state.matched.filter(function (r) { return !inTitle(r); }));
    }
    var body = root.querySelector("tbody");
    while (body.firstChild) { body.removeChild(body.firstChild); }
    state.shown = 0;
    more();
  }

  // The next PAGE of the matching rows, and the count of what is shown.
  function more() {
    var body = root.querySelector("tbody");
    var total = state.matched.length;
    state.matched.slice(state.shown, state.shown + PAGE).forEach(function (r) {
      body.appendChild(row(r));
    });
    state.shown = Math.min(state.shown + PAGE, total);
    el("jp-status").textContent = total + (total === 1 ? " pick" : " picks") +
      (total > state.shown ? ", showing the first " + state.shown : "");
    var button = el("jp-more");
    button.hidden = total <= state.shown;
    button.textContent = "Show " + Math.min(PAGE, total - state.shown) + " more";
  }
  el("jp-more").addEventListener("click", more);

  function refresh() {
    var years = selectedYears();
    var needText = el("jp-text").value.trim() !== "";
    var loading = years.some(function (y) {
      return !state.loaded[y] || (needText && !state.textLoaded[y]);
    });
    if (loading) { el("jp-status").textContent = "Loading picks…"; }
    return load(years)
      .then(function () { return needText ? loadText(years) : null; })
      .then(function () { fillCurrencies(); render(); })
      .catch(function (error) {
        el("jp-status").textContent = "Could not load picks: " + error.message;
      });
  }

  function showSort() {
    root.querySelectorAll("th").forEach(function (th) { th.setAttribute("aria-sort", "none"); });
    var button = root.querySelector('th button[data-key="' + state.key + '"]');
    button.parentNode.setAttribute("aria-sort", state.desc ? "descending" : "ascending");
  }

  root.querySelectorAll("th button").forEach(function (button) {
    button.addEventListener("click", function () {
      var key = Number(button.getAttribute("data-key"));
      state.desc = state.key === key ? !state.desc : key === DATE || key === SCORE;
      state.key = key;
      showSort();
      render();
      commit(true);
    });
  });
  fields.forEach(function (field) {
    var typed = field.tagName === "INPUT" && field.type !== "checkbox";
    field.addEventListener(typed ? "input" : "change", function () {
      refresh();
      // Typing settles into one history entry; a choice is an entry at once.
      clearTimeout(timer);
      if (typed) {
        timer = setTimeout(function () { commit(true); }, COMMIT_MS);
      } else {
        commit(true);
      }
    });
    if (typed) { field.addEventListener("change", function () { commit(true); }); }
  });
  window.addEventListener("popstate", function () { restore(); refresh(); });

  fetchJson("index.json").then(function (index) {
    state.years = index.years.map(String);
    state.bands = index.bands || [];
    state.periods = index.periods_per_year;
    folding = index.fold || {};
    var select = el("jp-year");
    while (select.firstChild) { select.removeChild(select.firstChild); }
    var all = document.createElement("option");
    all.value = ALL;
    all.textContent = "All years";
    select.appendChild(all);
    state.years.forEach(function (year) {
      var option = document.createElement("option");
      option.value = year;
      option.textContent = year + " (" + index.counts[year] + ")";
      select.appendChild(option);
    });
    restore();
    refresh();
  }).catch(function (error) {
    el("jp-status").textContent = "Could not load picks: " + error.message;
  });
})();
