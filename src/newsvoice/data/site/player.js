// newsvoice episode page: chapter links seek the player; the current chapter and sentence
// are marked while it plays. Without this script the links are media-fragment links.
"use strict";
(function () {
  var player = document.getElementById("player");
  if (!player) {
    return;
  }
  var links = Array.prototype.slice.call(document.querySelectorAll("a.seek[data-start]"));
  var lines = Array.prototype.slice.call(document.querySelectorAll(".transcript [data-start]"));

  function start(element) {
    return parseFloat(element.getAttribute("data-start"));
  }

  function seekTo(seconds) {
    var go = function () {
      player.currentTime = seconds;
      var playing = player.play();
      if (playing && playing.catch) {
        playing.catch(function () {});
      }
    };
    if (player.readyState >= 1) {
      go();
    } else {
      player.addEventListener("loadedmetadata", go, { once: true });
      player.load();
    }
  }

  links.forEach(function (link) {
    link.addEventListener("click", function (event) {
      var seconds = start(link);
      // A modified click (new tab, download, ...) keeps the link's own meaning.
      var modified = event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey ||
        event.altKey;
      if (isNaN(seconds) || modified) {
        return;
      }
      event.preventDefault();
      seekTo(seconds);
    });
  });

  function latest(elements, now) {
    var found = null;
    elements.forEach(function (element) {
      if (start(element) <= now + 0.05) {
        found = element;
      }
    });
    return found;
  }

  var shownLink = null;
  var shownLine = null;
  player.addEventListener("timeupdate", function () {
    var now = player.currentTime;
    var link = latest(links, now);
    if (link !== shownLink) {
      if (shownLink) {
        shownLink.removeAttribute("aria-current");
      }
      if (link) {
        link.setAttribute("aria-current", "time");
      }
      shownLink = link;
    }
    var line = latest(lines, now);
    if (line !== shownLine) {
      if (shownLine) {
        shownLine.classList.remove("speaking");
      }
      if (line) {
        line.classList.add("speaking");
      }
      shownLine = line;
    }
  });
})();
