// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";

  // When printing, open the map's list so that the information is on paper too.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.map-list").forEach(function (details) { details.open = true; });
  });

  // The map (templates/includes/country_map.html): fetch the one static map file (cached by
  // the browser), put it in the page, and make the states that the page's list names into
  // coloured links to their country pages, named like the list's links.
  function drawLayer(block, svg, layer) {
    svg.querySelectorAll("a").forEach(function (link) {
      while (link.firstChild) { link.parentNode.insertBefore(link.firstChild, link); }
      link.remove();
    });
    svg.querySelectorAll("[data-iso2]").forEach(function (shape) { shape.setAttribute("class", "state"); });
    block.querySelectorAll(".map-list a[data-layer='" + layer + "']").forEach(function (item) {
      var shapes = svg.querySelectorAll("[data-iso2='" + item.dataset.iso2 + "']");
      if (!shapes.length) { return; }
      var link = document.createElementNS(SVG, "a");
      var name = item.textContent + " – " + item.dataset.group;
      link.setAttribute("href", item.getAttribute("href"));
      link.setAttribute("aria-label", name);
      var title = document.createElementNS(SVG, "title");
      title.textContent = name;
      link.appendChild(title);
      shapes[0].parentNode.insertBefore(link, shapes[0]);
      shapes.forEach(function (shape) {
        shape.setAttribute("class", "state " + item.dataset.css);
        link.appendChild(shape);
      });
    });
    block.querySelectorAll(".map-legend").forEach(function (legend) {
      legend.hidden = legend.dataset.layer !== layer;
    });
  }

  function setUpMap(block) {
    var canvas = block.querySelector(".map-canvas");
    fetch(canvas.dataset.mapSrc, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("map " + response.status); }
        return response.text();
      })
      .then(function (text) {
        var parsed = new DOMParser().parseFromString(text, "image/svg+xml");
        var svg = document.importNode(parsed.documentElement, true);
        // The file's ids would repeat when a page has two maps; the shapes' codes suffice.
        svg.querySelectorAll("[id]").forEach(function (shape) { shape.removeAttribute("id"); });
        svg.setAttribute("class", "country-map");
        svg.setAttribute("role", "group");
        svg.setAttribute("aria-label", canvas.dataset.mapTitle);
        canvas.appendChild(svg);
        var checked = block.querySelector(".map-layers input:checked");
        var first = block.querySelector(".map-list a[data-layer]");
        drawLayer(block, svg, checked ? checked.value : (first ? first.dataset.layer : "main"));
        block.querySelectorAll(".map-layers input").forEach(function (input) {
          input.addEventListener("change", function () { drawLayer(block, svg, input.value); });
        });
        block.querySelector("figure").hidden = false;
      })
      .catch(function () { /* The list below the map says the same. */ });
  }

  document.querySelectorAll("[data-map]").forEach(setUpMap);

  // The main menu (details.menu-disclosure) and the filter panel (details.filters-disclosure)
  // are open in the HTML, so that they work without the script; on narrow screens they fold
  // into their "Menu" and "Filters" lines, so that a page's content comes first.
  var narrow = window.matchMedia("(max-width: 48rem)");
  function foldFilters() {
    document.querySelectorAll("details.menu-disclosure").forEach(function (details) {
      details.open = !narrow.matches;
    });
    document.querySelectorAll("details.filters-disclosure").forEach(function (details) {
      details.open = !narrow.matches || details.hasAttribute("data-has-errors");
    });
  }
  foldFilters();
  narrow.addEventListener("change", foldFilters);

  // A table wider than its container scrolls inside it (.table-scroll); keyboard users reach
  // the scrolling region too, named after the table's caption or the heading above it.
  function markScrollingTables() {
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        var caption = box.querySelector("caption");
        var heading = caption || box.closest("section") && box.closest("section").querySelector("h2, h3");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", heading ? heading.textContent.trim() : document.title);
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  markScrollingTables();
  narrow.addEventListener("change", markScrollingTables);
})();
