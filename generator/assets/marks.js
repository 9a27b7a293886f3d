/* jobpicks marks: Applied, Not for me and Save on every pick, kept in this browser.
   Every card and row carries an empty `[data-pick]` element with the pick's id
   (generator/theme/jobpicks/actions.html), the rest of a mark being read from the card or
   row around it (`pickOf`); this fills it with buttons, so a page read without JavaScript shows no button that does nothing. Marks live
   in localStorage under one key, by the pick's stable id, and every page (and every other
   open tab, through the storage event) redraws from them at once.
   What already reached the repository's feedback.yml comes with the site
   (`mine/recorded.json`, generator/site/marks.py `browser_marks`) and shows the same way on
   every device; a mark made here counts over it until the build has the same or a later one.
   Taking back a recorded mark (Undo, or Applied pressed again) is a mark of its own,
   "cleared", sent like the others.
   My picks (`#jp-mine`) lists them, and "Send to jobpicks" opens a new issue on the site's
   repository with the marks not yet sent, built exactly as generator/feedback_issues.py's
   `new_issue_url` builds it (tests compare the two). Everything from a pick is inserted as
   text, never as HTML. */
(function () {
  "use strict";
  var KEY = "jobpicks.marks";
  var REASONS = [
    ["place", "Place"], ["level", "Level"], ["skills", "Skills"],
    ["company", "Company"], ["pay", "Pay"], ["other", "Other"]
  ];
  var SAID = { applied: "Applied", dismissed: "Not for me", saved: "Saved", cleared: "Taken back" };
  var NOTE_LIMIT = 500;
  // What generator/feedback_issues.py writes, to the character.
  var LABEL = "jobpicks-feedback";
  var INTRO = "Marks sent from My picks. The daily run takes them into feedback.yml, then closes this issue.";
  var MAX_URL_LENGTH = 8000;
  var FIELDS = ["id", "url", "title", "company", "verdict", "reason", "status", "note", "date", "applied"];
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  var script = document.currentScript;
  var site = script ? new URL("../", script.src) : new URL("/", location.href);
  var recorded = {};  // feedback.yml's marks as the site was built: id -> mark
  var zone = "";  // the project's `timezone` (recorded.json): marks are dated in it, as runs are

  // -- storage ---------------------------------------------------------------------------

  // Whether this browser's `mine` counts over the repository's `theirs` for the same job:
  // a later mark, or one of the same day not yet sent (once sent, the build's copy is the
  // truth: a status set with `jobpicks feedback` that day included).
  function counts(mine, theirs) {
    return !theirs || mine.date > theirs.date || (mine.date === theirs.date && !mine.sent);
  }

  // Every mark that counts, by id: the repository's, and this browser's where they count.
  function load() {
    var local = loadLocal(), out = {};
    Object.keys(recorded).forEach(function (id) { out[id] = recorded[id]; });
    Object.keys(local).forEach(function (id) {
      if (counts(local[id], recorded[id])) { out[id] = local[id]; }
    });
    return out;
  }

  // This browser's own marks, as stored.
  function loadLocal() {
    try {
      var marks = JSON.parse(localStorage.getItem(KEY) || "{}");
      return marks && typeof marks === "object" && !Array.isArray(marks) ? marks : {};
    } catch (e) {
      return {};
    }
  }

  function store(marks) {
    try { localStorage.setItem(KEY, JSON.stringify(marks)); } catch (e) { /* full or off */ }
  }

  // -- dates, in generator/site/dates.py's style ------------------------------------------

  function todayIso() {
    if (window.jobpicksToday) { return window.jobpicksToday; }  // tests drive the clock
    var d = new Date();
    if (zone && window.Intl) {
      try {
        var at = {};
        var format = { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" };
        new Intl.DateTimeFormat("en-US", format).formatToParts(d)
          .forEach(function (part) { at[part.type] = part.value; });
        return at.year + "-" + at.month + "-" + at.day;
      } catch (e) { /* a zone this browser does not know: its own clock */ }
    }
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" +
      String(d.getDate()).padStart(2, "0");
  }

  function parts(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? { y: +m[1], m: +m[2], d: +m[3] } : null;
  }

  // "2 Dec", with the year when it is not this year's: dates.date_text(date, today=today).
  function dateText(iso) {
    var p = parts(iso), t = parts(todayIso());
    if (!p) { return iso || ""; }
    var text = p.d + " " + MONTHS[p.m - 1];
    return t && t.y === p.y ? text : text + " " + p.y;
  }

  // "Mon 23 Nov 2026": dates.day_text.
  function dayText(iso) {
    var p = parts(iso);
    if (!p) { return iso || ""; }
    var weekday = WEEKDAYS[new Date(Date.UTC(p.y, p.m - 1, p.d)).getUTCDay()];
    return weekday + " " + p.d + " " + MONTHS[p.m - 1] + " " + p.y;
  }

  // -- the issue "Send to jobpicks" opens ----------------------------------------------------

  function issueTitle(count) {
    return "jobpicks feedback: " + count + " mark" + (count === 1 ? "" : "s");
  }

  function issueBody(marks) {
    var lines = [INTRO, "", "```yaml", "verdicts:"];
    marks.forEach(function (mark) {
      var n = 0;
      FIELDS.forEach(function (key) {
        var value = mark[key];
        if (value === undefined || value === null || value === "") { return; }
        var text = key === "date" || key === "applied" ? value : JSON.stringify(String(value));
        lines.push((n === 0 ? "- " : "  ") + key + ": " + text);
        n += 1;
      });
    });
    lines.push("```");
    return lines.join("\n") + "\n";
  }

  function issueUrl(server, repository, marks) {
    return server.replace(/\/+$/, "") + "/" + repository + "/issues/new?" + [
      ["labels", LABEL], ["title", issueTitle(marks.length)], ["body", issueBody(marks)]
    ].map(function (kv) { return kv[0] + "=" + encodeURIComponent(kv[1]); }).join("&");
  }

  // feedback_issues.new_issue_urls: the marks in order, as few issues as fit the limit.
  function issueUrls(server, repository, marks) {
    var batches = [];
    marks.forEach(function (mark) {
      var last = batches[batches.length - 1];
      if (last && issueUrl(server, repository, last.concat([mark])).length <= MAX_URL_LENGTH) {
        last.push(mark);
      } else {
        batches.push([mark]);
      }
    });
    return batches.map(function (batch) {
      return { marks: batch, url: issueUrl(server, repository, batch) };
    });
  }

  // What a mark sends: feedback.yml's keys, nothing of this browser's bookkeeping.
  function sendable(mark) {
    var out = {};
    FIELDS.forEach(function (key) { if (mark[key]) { out[key] = mark[key]; } });
    return out;
  }

  function unsent(marks) {
    return Object.keys(marks).map(function (id) { return marks[id]; })
      .filter(function (mark) { return !mark.sent && !mark.recorded; })
      .sort(function (a, b) { return a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : 1; });
  }

  // -- marking ----------------------------------------------------------------------------

  // The title's link of the card or row around a `[data-pick]`: a markdown card's heading is
  // the element before it, an HTML card's is inside it, a row's is in the same cell.
  function titleLink(el) {
    var cell = el.closest("td");
    if (cell) { return cell.querySelector("a[href]"); }
    var card = el.closest(".jp-pick");
    if (!card) { return null; }
    var heading = card.querySelector(".jp-pick__title") || card.previousElementSibling;
    return heading ? heading.querySelector("a[href]:not(.headerlink)") : null;
  }

  // What a mark keeps of its pick: the element's own data (Explore, My picks), else what
  // the card or row shows (the page's cards and rows carry only the id and day).
  function pickOf(el) {
    var link = el.hasAttribute("data-url") ? null : titleLink(el);
    var holder = el.closest("[data-company]");  // a company page's table
    var around = el.closest(".jp-pick") || el.closest("tr");
    var company = around && around.querySelector(".jp-company");
    return {
      id: el.getAttribute("data-pick"),
      url: el.getAttribute("data-url") || (link ? link.getAttribute("href") : ""),
      title: el.getAttribute("data-title") || (link ? link.textContent.trim() : ""),
      company: holder ? holder.getAttribute("data-company") : company ? company.textContent.trim() : "",
      day: dayOf(el)
    };
  }

  // The day a pick was picked: the element's own (Explore, My picks), a row's date cell
  // (company and saved-search pages), else the page's day line (a day page, the home page).
  function dayOf(el) {
    var row = el.closest("tr");
    var cell = row && row.querySelector("td:first-child time[datetime]");
    var line = document.querySelector(".jp-dayline[data-day]");
    return el.getAttribute("data-day") || (cell && cell.getAttribute("datetime")) ||
      (line && line.getAttribute("data-day")) || "";
  }

  // The repository's mark on `id` that is in force: none, or one taken back, is null.
  function standing(id) {
    var mark = recorded[id];
    return mark && mark.verdict !== "cleared" ? mark : null;
  }

  // A mark that takes back the repository's mark on `pick`.
  function cleared(pick) {
    var was = recorded[pick.id];
    return {
      id: pick.id, url: pick.url || was.url || "", title: pick.title || was.title || "",
      company: pick.company || was.company || "", verdict: "cleared", date: todayIso(),
      day: pick.day || was.day || ""
    };
  }

  // Whether marking `verdict` (with `extra`) says no more than the repository's mark does:
  // then that mark stands as it is, its date and status (or note) included.
  function saysNothingNew(held, verdict, extra) {
    extra = extra || {};
    return !!held && held.verdict === verdict && !extra.note &&
      (extra.reason || "") === (held.reason || "");
  }

  // Mark the pick of `el` (null clears it); the mark it replaces is kept for Undo. A mark
  // that only the repository holds is no Undo's to restore: undoing returns to it.
  function setMark(el, verdict, extra) {
    var marks = loadLocal(), pick = pickOf(el), before = marks[pick.id], held = standing(pick.id);
    if (before && !counts(before, recorded[pick.id])) { before = undefined; }
    if (verdict === null) {
      // Off: this browser's mark goes, back to the repository's if it says something else;
      // the repository's own mark (or the same one) is taken back.
      delete marks[pick.id];
      if (held && (!before || held.verdict === before.verdict)) { marks[pick.id] = cleared(pick); }
    } else if (saysNothingNew(held, verdict, extra)) {
      delete marks[pick.id];
    } else {
      var mark = {
        id: pick.id, url: pick.url, title: pick.title, company: pick.company,
        verdict: verdict, date: todayIso(), day: pick.day || (before && before.day) || ""
      };
      Object.keys(extra || {}).forEach(function (k) { if (extra[k]) { mark[k] = extra[k]; } });
      if (before && before.verdict !== verdict) { mark.before = sendable(before); mark.before.day = before.day; }
      else if (before && before.before) { mark.before = before.before; }
      marks[pick.id] = mark;
    }
    store(marks);
    drawAll();
  }

  function undo(el) {
    var marks = loadLocal(), pick = pickOf(el), mark = marks[pick.id];
    if (mark && !counts(mark, recorded[pick.id])) { mark = undefined; }
    var held = standing(pick.id);
    if (mark && mark.before) {
      marks[pick.id] = mark.before;
    } else if (held && held.verdict === "dismissed") {
      marks[pick.id] = cleared(pick);  // Undo unfolds the card: the repository's dismissal taken back
    } else {
      delete marks[pick.id];  // back to the repository's mark, if any
    }
    store(marks);
    drawAll();
  }

  function node(tag, className, text) {
    var n = document.createElement(tag);
    if (className) { n.className = className; }
    if (text) { n.textContent = text; }
    return n;
  }

  function button(text, act, name, pressed) {
    var b = node("button", "jp-mark", text);
    b.type = "button";
    b.setAttribute("data-act", act);
    if (pressed !== undefined) { b.setAttribute("aria-pressed", pressed ? "true" : "false"); }
    // The visible word, then which job: "Save: Data Engineer at Acme" to a screen reader.
    b.setAttribute("aria-label", text + ": " + name);
    return b;
  }

  function jobName(pick) {
    return pick.company ? pick.title + " at " + pick.company : pick.title;
  }

  // The card or row a mark folds away, and a markdown card's heading beside it.
  function holders(el) {
    var row = el.closest("tr");
    if (row) { return [row]; }
    var card = el.closest(".jp-pick");
    if (!card) { return []; }
    var heading = card.previousElementSibling;
    return heading && heading.classList.contains("jp-pick__title") ? [heading, card] : [card];
  }

  function reasonForm(el, mark) {
    var form = node("span", "jp-why");
    var select = node("select");
    select.setAttribute("aria-label", "Why not for me: " + jobName(mark));
    select.appendChild(node("option", "", "Why? (optional)"));
    select.firstChild.value = "";
    REASONS.forEach(function (r) {
      var o = node("option", "", r[1]);
      o.value = r[0];
      if (mark.reason === r[0]) { o.selected = true; }
      select.appendChild(o);
    });
    var note = node("input");
    note.type = "text";
    note.maxLength = NOTE_LIMIT;
    note.value = mark.note || "";
    note.placeholder = "Note";
    note.setAttribute("aria-label", "Note on " + jobName(mark));
    var keep = button("Done", "reason", jobName(mark));
    form.appendChild(select);
    form.appendChild(note);
    form.appendChild(keep);
    keep.addEventListener("click", function () {
      el.removeAttribute("data-why");
      setMark(el, "dismissed", { reason: select.value, note: note.value.trim().slice(0, NOTE_LIMIT) });
      focus(el, "why");
    });
    return form;
  }

  function draw(el, mark) {
    var pick = pickOf(el), name = jobName(pick);
    var verdict = mark && mark.verdict !== "cleared" ? mark.verdict : "";
    var open = el.getAttribute("data-why") === "open";
    el.textContent = "";
    el.classList.add("jp-marks");  // the page carries only data-pick: fewer bytes a card
    holders(el).forEach(function (h) { h.classList.toggle("jp-folded", verdict === "dismissed"); });
    el.classList.toggle("jp-marks--dismissed", verdict === "dismissed");
    if (verdict === "dismissed") {
      var said = "Not for me" + (mark.reason ? " (" + mark.reason + ")" : "");
      var what = node("span", "jp-marks__said", said);
      if (el.closest(".jp-pick")) { what.textContent = said + ": " + name; }
      el.appendChild(what);
      el.appendChild(button(open ? "Close" : "Why?", "why", name));
      el.appendChild(button("Undo", "undo", name));
      if (open) { el.appendChild(reasonForm(el, mark)); }
      return;
    }
    // Pressed, Applied says when: "Applied 2 Dec", the day applied whatever status came since
    // (a recorded application's `applied`; this browser's own is made on its date).
    var applied = verdict === "applied" ? "Applied " + dateText(mark.applied || mark.date) : "Applied";
    el.appendChild(button(applied, "applied", name, verdict === "applied"));
    el.appendChild(button("Not for me", "dismissed", name));
    el.appendChild(button(verdict === "saved" ? "Saved" : "Save", "saved", name, verdict === "saved"));
  }

  function focus(el, act) {
    if (!el.isConnected) {  // My picks redrew its lists: the same pick's new actions
      el = document.querySelector('[data-pick="' + CSS.escape(el.getAttribute("data-pick")) + '"]');
      if (!el) { return; }
    }
    var target = el.querySelector('[data-act="' + act + '"]');
    if (target) { target.focus(); }
  }

  function act(el, what) {
    var marks = load(), mark = marks[el.getAttribute("data-pick")];
    var verdict = mark && mark.verdict !== "cleared" ? mark.verdict : "";
    if (what === "undo") {
      el.removeAttribute("data-why");
      undo(el);
      focus(el, "dismissed");
    } else if (what === "why") {
      el.setAttribute("data-why", el.getAttribute("data-why") === "open" ? "" : "open");
      draw(el, mark);
      var select = el.querySelector("select");
      if (select) { select.focus(); } else { focus(el, "why"); }
    } else if (what === "dismissed") {
      setMark(el, "dismissed");
      focus(el, "undo");
    } else if (what === "applied" || what === "saved") {
      setMark(el, verdict === what ? null : what);
      focus(el, what);
    }
  }

  function drawAll(marks) {
    marks = marks || load();
    Array.prototype.forEach.call(document.querySelectorAll("[data-pick]"), function (el) {
      draw(el, marks[el.getAttribute("data-pick")]);
    });
    drawMine(marks);
  }

  document.addEventListener("click", function (event) {
    var b = event.target.closest && event.target.closest(".jp-marks button[data-act]");
    if (!b || b.getAttribute("data-act") === "reason") { return; }
    act(b.closest("[data-pick]"), b.getAttribute("data-act"));
  });

  // -- My picks ---------------------------------------------------------------------------

  function dayHref(day) {
    return new URL("picks/" + day.slice(0, 4) + "/" + day + "/", site).href;
  }

  function entry(mark) {
    var li = node("li");
    if (/^https?:\/\//i.test(mark.url)) {
      var a = node("a", "", mark.title || mark.url);
      a.href = mark.url;
      li.appendChild(a);
    } else {
      li.appendChild(document.createTextNode(mark.title || mark.id));
    }
    if (mark.company) { li.appendChild(document.createTextNode(" at " + mark.company)); }
    var when = node("span", "jp-mine__when");
    if (parts(mark.day)) {
      when.appendChild(document.createTextNode(" · picked "));
      var day = node("a", "", dayText(mark.day));
      day.href = dayHref(mark.day);
      when.appendChild(day);
    }
    // Applied says its date on its button ("Applied 2 Dec"); the others say it here.
    if (mark.verdict === "saved") { when.appendChild(document.createTextNode(" · saved " + dateText(mark.date))); }
    if (mark.verdict === "dismissed") {
      when.appendChild(document.createTextNode(" · marked " + dateText(mark.date) +
        (mark.reason ? " (" + mark.reason + ")" : "")));
    }
    li.appendChild(when);
    var actions = node("span", "jp-marks");
    actions.setAttribute("data-pick", mark.id);
    ["url", "title", "company", "day"].forEach(function (k) {
      actions.setAttribute("data-" + k, mark[k] || "");
    });
    li.appendChild(actions);
    draw(actions, mark);
    return li;
  }

  function section(box, heading, marks, empty) {
    box.appendChild(node("h2", "", heading + " (" + marks.length + ")"));
    if (!marks.length) {
      box.appendChild(node("p", "jp-mine__empty", empty));
      return;
    }
    var list = node("ul", "jp-mine__list");
    marks.forEach(function (mark) { list.appendChild(entry(mark)); });
    box.appendChild(list);
  }

  function command(mark) {
    var words = ["jobpicks feedback", mark.verdict, mark.id];
    if (mark.reason) { words.push("--reason " + mark.reason); }
    if (mark.note) { words.push("--note '" + mark.note.replace(/'/g, "'\\''") + "'"); }
    words.push("--date " + mark.date);
    return words.join(" ");
  }

  function drawSend(box, marks) {
    var todo = unsent(marks);
    box.appendChild(node("h2", "", "Not sent yet (" + todo.length + ")"));
    if (!todo.length) {
      box.appendChild(node("p", "jp-mine__empty", "Every mark has been sent."));
      return;
    }
    var list = node("ul", "jp-mine__list");
    todo.forEach(function (mark) {
      list.appendChild(node("li", "", SAID[mark.verdict] + ": " + jobName(mark) + ", " + dateText(mark.date)));
    });
    box.appendChild(list);
    var repository = box.getAttribute("data-repository");
    if (!repository) {
      var how = node("p", "", "This site does not know its GitHub repository, so it cannot send " +
        "marks. Record them in the project with ");
      how.appendChild(node("code", "", "jobpicks feedback"));
      how.appendChild(document.createTextNode(" instead:"));
      box.appendChild(how);
      var pre = node("pre");
      pre.appendChild(node("code", "", todo.map(command).join("\n")));
      box.appendChild(pre);
      return;
    }
    var batches = issueUrls(box.getAttribute("data-server") || "https://github.com", repository,
      todo.map(sendable));
    var p = node("p", "jp-mine__send");
    var send = node("a", "md-button md-button--primary", "Send to jobpicks");
    send.href = batches[0].url;
    send.target = "_blank";
    send.rel = "noopener";
    send.id = "jp-send";
    send.addEventListener("click", function () {
      var all = loadLocal();
      batches[0].marks.forEach(function (m) { if (all[m.id]) { all[m.id].sent = true; } });
      store(all);
      setTimeout(function () { drawAll(); }, 0);
    });
    p.appendChild(send);
    var more = batches.length > 1 ? " This sends the first " + batches[0].marks.length +
      " of " + todo.length + "; send again for the rest." : "";
    p.appendChild(document.createTextNode(" opens an issue on " + repository +
      " with these marks; the daily run takes them into feedback.yml." + more));
    box.appendChild(p);
  }

  function drawMine(marks) {
    var box = document.getElementById("jp-mine");
    if (!box) { return; }
    box.textContent = "";
    var all = Object.keys(marks).map(function (id) { return marks[id]; })
      .sort(function (a, b) { return a.date < b.date ? 1 : a.date > b.date ? -1 : 0; });
    function having(verdict) { return all.filter(function (m) { return m.verdict === verdict; }); }
    section(box, "Saved", having("saved"), "Nothing saved yet: press Save on a pick.");
    section(box, "Applied", having("applied"), "No applications marked yet.");
    section(box, "Not for me", having("dismissed"), "Nothing dismissed.");
    var send = node("div", "jp-mine__unsent");
    ["data-repository", "data-server"].forEach(function (k) {
      if (box.hasAttribute(k)) { send.setAttribute(k, box.getAttribute(k)); }
    });
    drawSend(send, marks);
    box.appendChild(send);
  }

  // -- start ------------------------------------------------------------------------------

  // Rows Explore draws later get their actions as they appear.
  function watch() {
    var table = document.querySelector("#jp-table tbody");
    if (!table || !window.MutationObserver) { return; }
    new MutationObserver(function (changes) {
      var marks = load();
      changes.forEach(function (change) {
        Array.prototype.forEach.call(change.addedNodes, function (added) {
          if (added.querySelectorAll) {
            Array.prototype.forEach.call(added.querySelectorAll("[data-pick]"), function (el) {
              draw(el, marks[el.getAttribute("data-pick")]);
            });
          }
        });
      });
    }).observe(table, { childList: true });
  }

  window.addEventListener("storage", function (event) {
    if (event.key === KEY || event.key === null) { drawAll(); }
  });
  window.jobpicksMarks = { issueUrl: issueUrl, issueUrls: issueUrls, dateText: dateText };

  // The repository's marks, then a redraw; this browser's marks that no longer count (the
  // build has the same or a later one) are dropped: sent, their work is done; unsent, a
  // later mark made elsewhere has replaced them.
  function fetchRecorded() {
    if (!window.fetch || !/^https?:$/.test(location.protocol)) { return; }
    fetch(new URL("mine/recorded.json", site).href)
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || !data.marks || typeof data.marks !== "object") { return; }
        zone = typeof data.timezone === "string" ? data.timezone : "";
        recorded = {};
        Object.keys(data.marks).forEach(function (id) {
          var mark = data.marks[id];
          mark.recorded = true;
          recorded[id] = mark;
        });
        var local = loadLocal(), changed = false;
        Object.keys(local).forEach(function (id) {
          if (!counts(local[id], recorded[id])) { delete local[id]; changed = true; }
        });
        if (changed) { store(local); }
        drawAll();
      })
      .catch(function () { /* an older build without it, or offline: this browser's marks */ });
  }

  function start() {
    document.documentElement.classList.add("jp-marks-ready");
    drawAll();
    watch();
    fetchRecorded();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
