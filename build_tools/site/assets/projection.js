/* The projection view as a slide deck (only projection.html loads this file): one slide at a time,
   its quotation as large as the screen allows (scrolled in its place only if even the smallest type
   cannot hold it); a clicker's keys and the
   keyboard's; the slide's number in the address (#slide-N, so back, forward and a link to a slide
   work); full screen where the browser offers it. Without a script the slides stand in a column. */
(function () {
  "use strict";

  var root = document.documentElement;
  var SMALLEST = 12;  /* px: below this a quotation would not read from anywhere */
  root.classList.add("projection-deck");  /* in the head: study.css lays the deck out before the first paint */

  function start() {
    var deck = document.querySelector("[data-projection]");
    var slides = deck ? Array.prototype.slice.call(deck.querySelectorAll(".projection__slide")) : [];
    if (!slides.length) {
      root.classList.remove("projection-deck");
      return;
    }
    var shown = 0;

    function asked() {
      var match = /^#slide-(\d+)$/.exec(location.hash);
      return Math.min(Math.max(match ? Number(match[1]) : 1, 1), slides.length);
    }

    function fits(slide, quote) {
      return slide.scrollHeight <= slide.clientHeight && quote.scrollWidth <= quote.clientWidth;
    }

    /* The largest type, up to the size study.css gives, at which the slide holds its quotation:
       a binary search to half a pixel. */
    function fit(slide) {
      var quote = slide.querySelector(".projection__quote");
      quote.style.fontSize = "";
      slide.classList.remove("projection__slide--long");
      quote.removeAttribute("tabindex");
      if (fits(slide, quote)) return;
      var low = SMALLEST;
      var high = parseFloat(getComputedStyle(quote).fontSize);
      while (high - low > 0.5) {
        var middle = (low + high) / 2;
        quote.style.fontSize = middle + "px";
        if (fits(slide, quote)) low = middle; else high = middle;
      }
      quote.style.fontSize = low + "px";
      if (!fits(slide, quote)) {  /* too long even so: it scrolls in its place (study.css), by keyboard too */
        slide.classList.add("projection__slide--long");
        quote.tabIndex = 0;
      }
    }

    /* Focus on a control of the slide going away moves to the same control of the slide coming
       (taken before the slide hides: the browser lets go of focus in what it no longer shows). */
    function focusKept(from) {
      var active = document.activeElement;
      if (!active || !from || active === from || !from.contains(active)) return function () {};
      var order = active.matches(".projection__previous")
        ? [".projection__previous", ".projection__next"]
        : [".projection__next", ".projection__onward", ".projection__previous"];
      return function (to) {
        for (var i = 0; i < order.length; i += 1) {
          var control = to.querySelector(order[i]);
          if (control) { control.focus(); return; }
        }
        to.focus();
      };
    }

    function show(n) {
      if (n === shown) return;
      var refocus = focusKept(slides[shown - 1]);
      slides.forEach(function (slide, index) { slide.hidden = index + 1 !== n; });
      shown = n;
      fit(slides[n - 1]);
      refocus(slides[n - 1]);
    }

    /* The slide the address asks for; an address without one, or with one out of range, is corrected. */
    function follow() {
      var n = asked();
      if (location.hash !== "#slide-" + n) history.replaceState(null, "", "#slide-" + n);
      show(n);
    }

    function go(n) {
      n = Math.min(Math.max(n, 1), slides.length);
      if (n === shown) return;
      history.pushState(null, "", "#slide-" + n);
      show(n);
    }

    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
      var target = event.target;
      if (target.closest && target.closest("input, select, textarea, [contenteditable]")) return;
      var key = event.key;
      if (key === " " && target.closest && target.closest("button")) return;  /* Space presses a button */
      if ((key === "ArrowDown" || key === "ArrowUp") && target.classList && target.classList.contains("projection__quote")) return;  /* scrolls a long one */
      var n;
      if (key === "ArrowRight" || key === "ArrowDown" || key === "PageDown" || (key === " " && !event.shiftKey)) n = shown + 1;
      else if (key === "ArrowLeft" || key === "ArrowUp" || key === "PageUp" || key === " ") n = shown - 1;
      else if (key === "Home") n = 1;
      else if (key === "End") n = slides.length;
      else return;
      event.preventDefault();
      go(n);
    });
    /* The slides' own links move as the keys do, focus kept on the control (the browser would put it on the slide). */
    deck.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest('a[href^="#slide-"]');
      if (!link || event.button !== 0 || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      go(Number(link.getAttribute("href").slice("#slide-".length)));
    });
    window.addEventListener("hashchange", follow);
    window.addEventListener("popstate", follow);
    window.addEventListener("resize", function () { fit(slides[shown - 1]); });
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(function () { fit(slides[shown - 1]); });

    slides.forEach(function (slide) { slide.tabIndex = -1; });
    follow();
    root.classList.add("projection-fitted");  /* the slide is shown once it fits: it never shrinks in sight */

    var button = deck.querySelector(".projection__fullscreen");
    if (button && document.fullscreenEnabled && root.requestFullscreen) {
      var label = function () { button.textContent = document.fullscreenElement ? "Exit full screen" : "Full screen"; };
      button.addEventListener("click", function () {
        if (document.fullscreenElement) document.exitFullscreen();
        else root.requestFullscreen().catch(function () { /* refused (not from a click): nothing to undo */ });
      });
      document.addEventListener("fullscreenchange", label);
      label();
      button.hidden = false;
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
