/* jobpicks: under the search box's results, a link that searches every pick's title and
   summary for the same words in Explore.
   The search box finds companies and job titles: its index has one short entry per company
   page and per distinct title, because the browser builds that index on every page load and
   each word in it delays the first result (generator/site/search.py). The postings' summaries
   are searched in Explore, which loads them only when asked. When the search has answered
   and nothing matches, the link says so and Enter follows it.
   This adds to Material's search dialog when it is there and does nothing otherwise. The link
   sits after Material's result container, not in it: Material's keyboard handling reads every
   link in there as one of its results. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var explore = new URL("../explore/", script.src);

  function setup() {
    var input = document.querySelector("input.md-search__input");
    var result = document.querySelector(".md-search-result");
    var meta = document.querySelector(".md-search-result__meta");
    var list = document.querySelector(".md-search-result__list");
    if (!input || !result || !meta || !list) { return; }
    input.setAttribute("placeholder", "Search jobs and companies");
    var box = document.createElement("p");
    box.className = "jp-search-explore";
    box.hidden = true;
    var link = document.createElement("a");
    box.appendChild(link);
    result.insertAdjacentElement("afterend", box);
    // Whether Material has answered the query as typed: it rewrites its result count for
    // every answer, and not before its index is ready.
    var answered = false;

    function none() {
      return answered && list.querySelector(".md-search-result__item") === null;
    }

    function update() {
      var query = input.value.trim();
      box.hidden = !query;
      if (!query) { return; }
      var url = new URL(explore);
      url.searchParams.set("text", query);
      url.searchParams.set("year", "all");
      link.href = url.href;
      box.classList.toggle("jp-search-explore--alone", none());
      link.textContent = (none() ? "Press Enter to search \u201c" : "Search \u201c") + query +
        "\u201d in every pick's title and summary \u2192";
    }

    input.addEventListener("input", function () { answered = false; update(); });
    new MutationObserver(function () { answered = true; update(); })
      .observe(meta, { childList: true, characterData: true, subtree: true });
    new MutationObserver(update).observe(list, { childList: true });
    input.addEventListener("keydown", function (event) {
      // Material's Enter opens the selected result; with none to open, search every pick.
      if (event.key === "Enter" && !box.hidden && none()) {
        event.preventDefault();
        window.location.assign(link.href);
      }
    });
    if (input.form) {
      // A form's reset changes the value without an input event.
      input.form.addEventListener("reset", function () {
        setTimeout(function () { answered = false; update(); });
      });
    }
    update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
