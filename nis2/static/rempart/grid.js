/* Rating an assessment from the keyboard (controls/templates/controls/assessment_grid.html).
 *
 * On a measure's line (the line itself, or any of its controls but a text field):
 *   0 to 5          sets the current level (in the "target level" and "owner" lists, keys keep their own use);
 *   ArrowDown / j   moves to the next line, ArrowUp / k to the previous one (in a list, arrows choose in it);
 *   Enter           saves the line (htmx posts its form; without JavaScript the Save button posts it).
 * Only one line is in the tab order at a time (a roving tabindex): Tab enters the list on the line last
 * visited, then walks through that line's controls. After a save, htmx swaps the line and focus.js puts
 * the focus back on it, so the next key applies to the same line. */
(function () {
  "use strict";

  var ROW = "article.item[data-grid-row]";
  var LEVEL = "select[name=current_level]";
  var TEXT_INPUTS = ["text", "search", "email", "url", "tel", "password", "number", "date", "datetime-local"];
  var announcer = null;

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll(ROW));
  }

  function rowOf(element) {
    return element && element.closest ? element.closest(ROW) : null;
  }

  function isTextField(element) {
    var tag = element.tagName;
    if (tag === "TEXTAREA" || element.isContentEditable) {
      return true;
    }
    return tag === "INPUT" && TEXT_INPUTS.indexOf((element.type || "text").toLowerCase()) !== -1;
  }

  /* The roving tabindex: the given line (else the first) is the list's only tab stop. */
  function makeCurrent(row) {
    var all = rows();
    var current = row || all[0];
    all.forEach(function (each) {
      each.tabIndex = each === current ? 0 : -1;
    });
  }

  function announce(text) {
    if (!announcer) {
      return;
    }
    announcer.textContent = "";
    window.setTimeout(function () {
      announcer.textContent = text;
    }, 50);
  }

  function setLevel(row, value) {
    var select = row.querySelector(LEVEL);
    if (!select || select.disabled) {
      return false;
    }
    if (select.value !== value) {
      select.value = value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      row.classList.add("is-changed");
    }
    var option = select.options[select.selectedIndex];
    announce(option ? option.text : value);
    return true;
  }

  function move(row, step) {
    var all = rows();
    var next = all[all.indexOf(row) + step];
    if (next) {
      makeCurrent(next);
      next.focus();
      next.scrollIntoView({ block: "nearest" });
    }
  }

  function save(row) {
    var form = row.querySelector("form.item-form");
    if (!form) {
      return;
    }
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit(); // htmx handles the submit event; without it, the browser posts the form
    } else {
      form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    var target = event.target;
    var row = rowOf(target);
    if (!row || isTextField(target)) {
      return;
    }
    var inList = target.tagName === "SELECT";
    var key = event.key;
    if (/^[0-5]$/.test(key)) {
      if (inList && !target.matches(LEVEL)) {
        return;
      }
      if (setLevel(row, key)) {
        event.preventDefault();
      }
    } else if (key === "ArrowDown" || key === "ArrowUp" || key === "j" || key === "k") {
      if (inList) {
        return;
      }
      event.preventDefault();
      move(row, key === "ArrowDown" || key === "j" ? 1 : -1);
    } else if (key === "Enter") {
      if (target.tagName === "BUTTON" || target.tagName === "A" || target.tagName === "SUMMARY") {
        return; // their own action: Save, Confirm, a link, opening the details
      }
      event.preventDefault();
      save(row);
    }
  });

  document.addEventListener("change", function (event) {
    var row = rowOf(event.target);
    if (row) {
      row.classList.add("is-changed");
    }
  });

  document.addEventListener("focusin", function (event) {
    var row = rowOf(event.target);
    if (row) {
      makeCurrent(row);
    }
  });

  /* After a save, htmx swapped a new line in: keep it the tab stop if it holds the focus. */
  document.addEventListener("htmx:afterSettle", function () {
    var row = rowOf(document.activeElement);
    makeCurrent(row || document.querySelector(ROW + "[tabindex='0']"));
  });

  function start() {
    var help = document.getElementById("keyboard-help");
    if (help) {
      help.hidden = false; // the shortcuts exist only with JavaScript: shown only then
    }
    announcer = document.createElement("p");
    announcer.className = "visually-hidden";
    announcer.setAttribute("aria-live", "polite");
    document.body.appendChild(announcer);
    makeCurrent(null);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
