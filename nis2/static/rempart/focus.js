/* Keeps keyboard focus in place when htmx replaces the element that held it (WCAG 2.4.3, focus order).
 *
 * htmx itself refocuses a control that has an id; a control without one (the row's "Save" button) is
 * lost with the element it was in, and focus falls back to <body>: a keyboard or screen reader user
 * is sent back to the top of the page after every save. Before the swap, remember which control of
 * the swapped element was focused (its id, else its position among the element's controls); after
 * the swap, focus the same control in the new element. */
(function () {
  "use strict";

  var CONTROLS = "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]";
  var remembered = null;

  function controlsOf(element) {
    return Array.prototype.slice.call(element.querySelectorAll(CONTROLS));
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var focused = document.activeElement;
    remembered = null;
    if (!target || !target.id || !focused || focused === document.body || !target.contains(focused)) {
      return;
    }
    remembered = { elementId: target.id, controlId: focused.id, position: controlsOf(target).indexOf(focused) };
  });

  document.addEventListener("htmx:afterSwap", function () {
    if (!remembered) {
      return;
    }
    var memory = remembered;
    remembered = null;
    var element = document.getElementById(memory.elementId);
    if (!element || element.contains(document.activeElement)) {
      return; // gone, or htmx already refocused the control by its id
    }
    var control = (memory.controlId && document.getElementById(memory.controlId)) || controlsOf(element)[memory.position];
    if (!control) {
      element.setAttribute("tabindex", "-1");
      control = element;
    }
    control.focus({ preventScroll: true });
  });
})();
