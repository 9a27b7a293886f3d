/* jobpicks: under the search box's results, a link that searches every pick's title, reason
   and summary for the same words in Explore.
   The search box finds companies: its index has one short entry per company page, because
   the browser builds that index on every page load and each word in it delays the first
   result. Titles and text are searched in Explore, which loads them only when asked. When no
   company matches, the link says so and Enter follows it.
   This adds to Material's search dialog when it is there and does nothing otherwise. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var explore = new URL("../explore/", script.src);

  function setup() {
    var input = document.querySelector("input.md-search__input");
    var list = document.querySelector(".md-search-result__list");
    if (!input || !list) { return; }
    input.setAttribute("placeholder", "Search companies");
    var box = document.createElement("p");
    box.className = "jp-search-explore";
    box.hidden = true;
    var link = document.createElement("a");
    box.appendChild(link);
    // After the results: a company found by name stays the first thing under the box.
    list.insertAdjacentElement("afterend", box);

    function found() {
      return list.querySelector(".md-search-result__item") !== null;
    }

    function update() {
      var query = input.value.trim();
      box.hidden = !query;
      if (!query) { return; }
      var url = new URL(explore);
      url.searchParams.set("q", query);
      url.searchParams.set("year", "all");
      link.href = url.href;
      var none = !found();
      box.classList.toggle("jp-search-explore--alone", none);
      link.textContent = (none ? "Press Enter to search \u201c" : "Search \u201c") + query +
        "\u201d in every pick (titles, reasons, summaries) \u2192";
    }

    input.addEventListener("input", update);
    input.addEventListener("keyup", update);
    new MutationObserver(update).observe(list, { childList: true });
    input.addEventListener("keydown", function (event) {
      // Material's Enter opens the selected result; with none to open, search every pick.
      if (event.key === "Enter" && !box.hidden && !found()) {
        event.preventDefault();
        window.location.assign(link.href);
      }
    });
    if (input.form) {
      // A form's reset changes the value without an input event.
      input.form.addEventListener("reset", function () { setTimeout(update); });
    }
    update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
