/* Enhancements where scripts run: copy a quotation's link, filter the quotations page, show a
   citation's full reference on hover and keyboard focus. Without a script the site stays
   complete: quotations are grouped by stage and theme, and a citation's reference is its title. */
(function () {
  "use strict";

  function enhanceCopyButtons() {
    document.querySelectorAll(".quotation__copy").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var url = location.href.split("#")[0] + "#" + button.dataset.anchor;
        var done = function () { button.textContent = "Link copied"; setTimeout(function () { button.textContent = "Copy link"; }, 2000); };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(url).then(done, function () { prompt("Copy this link:", url); });
        } else {
          prompt("Copy this link:", url);
        }
      });
    });
  }

  function enhanceFilter() {
    var form = document.querySelector(".quote-filter");
    if (!form) return;
    var stage = form.querySelector("select[name=stage]");
    var theme = form.querySelector("select[name=theme]");
    var count = form.querySelector(".quote-filter__count");
    var quotes = Array.prototype.slice.call(document.querySelectorAll("figure.quotation[data-stage]"));
    form.hidden = false;  /* study.css shows it before the first paint where it can (scripting: enabled); elsewhere, now */

    function apply() {
      theme.querySelectorAll("option[data-stage]").forEach(function (option) {
        option.hidden = stage.value !== "" && option.dataset.stage !== stage.value;
      });
      if (theme.selectedOptions[0] && theme.selectedOptions[0].hidden) theme.value = "";
      var shown = 0;
      quotes.forEach(function (quote) {
        var visible = (stage.value === "" || quote.dataset.stage === stage.value) &&
                      (theme.value === "" || quote.dataset.theme === theme.value);
        quote.hidden = !visible;
        if (visible) shown += 1;
      });
      document.querySelectorAll("[data-group]").forEach(function (heading) {
        heading.hidden = !quotes.some(function (quote) {
          return !quote.hidden && (quote.dataset.stage === heading.dataset.group || quote.dataset.theme === heading.dataset.group);
        });
      });
      var said = "Showing " + shown + " of " + quotes.length + " quotations.";
      if (count.textContent !== said) count.textContent = said;  /* the page comes with the count: said again only when it changes */
    }
    stage.addEventListener("change", apply);
    theme.addEventListener("change", apply);
    apply();
  }

  /* A citation's reference, shown as text (Material's own tooltips would read it as HTML). It stays
     while the pointer is on the link or on it, and Escape closes it (WCAG 1.4.13). */
  function enhanceCitations() {
    var links = document.querySelectorAll("a.citation__link[title]");
    if (!links.length) return;
    var tip = document.createElement("div");
    tip.className = "study-tooltip";
    tip.id = "study-tooltip";
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    document.body.appendChild(tip);
    var current = null;
    var timer = null;
    function show(link) {
      clearTimeout(timer);
      if (current) current.removeAttribute("aria-describedby");
      current = link;
      tip.textContent = link.dataset.reference;
      tip.hidden = false;
      link.setAttribute("aria-describedby", tip.id);
      var box = link.getBoundingClientRect();
      var width = document.documentElement.clientWidth;
      tip.style.top = (box.bottom + window.scrollY + 6) + "px";
      tip.style.left = (Math.max(8, Math.min(box.left, width - tip.offsetWidth - 8)) + window.scrollX) + "px";
    }
    function hide() {
      clearTimeout(timer);
      if (current) current.removeAttribute("aria-describedby");
      current = null;
      tip.hidden = true;
    }
    function hideSoon() {
      clearTimeout(timer);
      timer = setTimeout(hide, 300);
    }
    links.forEach(function (link) {
      link.dataset.reference = link.title;
      link.removeAttribute("title");
      link.addEventListener("mouseenter", function () { show(link); });
      link.addEventListener("mouseleave", hideSoon);
      link.addEventListener("focus", function () { show(link); });
      link.addEventListener("blur", hide);
    });
    tip.addEventListener("mouseenter", function () { clearTimeout(timer); });
    tip.addEventListener("mouseleave", hideSoon);
    document.addEventListener("keydown", function (event) { if (event.key === "Escape") hide(); });
  }

  /* A handout's Print button: a printed sheet is what a handout is for, and a button says so where a
     menu would not. Without a script it stays hidden, and the browser's own Print is there. */
  function enhancePrintButtons() {
    document.querySelectorAll(".handout__print").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  enhanceCitations();
  enhanceCopyButtons();
  enhanceFilter();
  enhancePrintButtons();
})();
