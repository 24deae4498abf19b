// newsvoice episode page: read-along and the player's controls.
//
// The page works without this script (native <audio> controls, chapters as media-fragment
// links, the transcript as text). With it:
// - the sentence being read is highlighted, from the timing table in the page
//   (data-start/data-end on every sentence, seconds), and kept in view while "Follow along"
//   is on (off by default when the reader prefers reduced motion; it pauses when the reader
//   scrolls away, and comes back when the sentence is on screen again or they play from one);
// - a click on a sentence plays from its start; from the keyboard the transcript is one tab
//   stop (a roving tabindex: the arrow keys, Home and End move between sentences, Enter or
//   Space plays from the focused one), so reaching the downloads takes one Tab, not one per
//   sentence;
// - play/pause, back 15 s, forward 30 s, speed (remembered in localStorage), the current
//   chapter, and the position per episode, offered as "Resume at 3:12" on return;
// - single-key shortcuts, active only while the focus is in the player, the chapters or the
//   transcript (WCAG 2.1.4), listed on the page.
// It never starts playing by itself.
"use strict";
(function () {
  var player = document.getElementById("player");
  if (!player) {
    return;
  }
  var root = player.closest("article") || document.body;
  var episodeId = root.getAttribute("data-episode") || location.pathname;
  var BACK = 15;
  var FORWARD = 30;
  var SPEEDS = [0.75, 1, 1.25, 1.5, 1.75, 2];
  var RESUME_FROM = 5; // seconds: a position before this is not worth offering

  function $(selector) {
    return root.querySelector(selector);
  }
  function all(selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }
  function store(key, value) {
    try {
      if (value === null) {
        localStorage.removeItem(key);
      } else {
        localStorage.setItem(key, String(value));
      }
    } catch (e) {
      // storage refused (private mode, quota): the page works without it
    }
  }
  function stored(key) {
    try {
      return localStorage.getItem(key);
    } catch (e) {
      return null;
    }
  }
  function clock(seconds) {
    var s = Math.max(0, Math.floor(seconds));
    var h = Math.floor(s / 3600);
    var m = Math.floor((s % 3600) / 60);
    var rest = ("0" + (s % 60)).slice(-2);
    return h ? h + ":" + ("0" + m).slice(-2) + ":" + rest : m + ":" + rest;
  }

  var links = all("a.seek[data-start]");
  var sentences = all(".read-along .s[data-start]");
  var starts = sentences.map(function (s) { return parseFloat(s.getAttribute("data-start")); });
  var ends = sentences.map(function (s) { return parseFloat(s.getAttribute("data-end")); });
  var chapterStarts = links.map(function (a) { return parseFloat(a.getAttribute("data-start")); });

  var controls = $(".controls");
  var playButton = $("button.play");
  var speed = $("select.speed");
  var follow = $("input.follow");
  var now = $(".now");
  var nowChapter = $(".now-chapter");
  var resume = $("p.resume");
  var resumeButton = $("button.resume");
  [controls, now, $(".shortcuts"), $(".transcript-help")].forEach(function (el) {
    if (el) {
      el.hidden = false;
    }
  });

  // --- playing and seeking ------------------------------------------------------------------
  var started = false; // the listener has started playback on this visit
  function play() {
    var playing = player.play();
    if (playing && playing.catch) {
      playing.catch(function () {});
    }
  }
  function seekTo(seconds, andPlay) {
    var go = function () {
      player.currentTime = Math.max(0, seconds);
      if (andPlay) {
        play();
      }
    };
    if (player.readyState >= 1) {
      go();
    } else {
      player.addEventListener("loadedmetadata", go, { once: true });
      player.load();
    }
  }
  function skip(by) {
    var end = isFinite(player.duration) ? player.duration : Infinity;
    seekTo(Math.min(end, Math.max(0, player.currentTime + by)), false);
  }
  function toggle() {
    if (player.paused) {
      play();
    } else {
      player.pause();
    }
  }
  function changeSpeed(step) {
    var index = SPEEDS.indexOf(player.playbackRate);
    var next = SPEEDS[Math.min(SPEEDS.length - 1, Math.max(0, (index < 0 ? 1 : index) + step))];
    setSpeed(next, true);
  }
  function setSpeed(rate, remember) {
    player.defaultPlaybackRate = rate;
    player.playbackRate = rate;
    if (speed) {
      speed.value = String(rate);
    }
    if (remember) {
      store("newsvoice.speed", rate);
    }
  }
  var savedSpeed = parseFloat(stored("newsvoice.speed"));
  if (SPEEDS.indexOf(savedSpeed) >= 0) {
    setSpeed(savedSpeed, false);
  }
  // Chromium resets the rate when the media loads: apply it again then.
  player.addEventListener("loadedmetadata", function () {
    var rate = parseFloat(speed ? speed.value : "1");
    if (player.playbackRate !== rate) {
      setSpeed(rate, false);
    }
  });
  if (speed) {
    speed.addEventListener("change", function () {
      setSpeed(parseFloat(speed.value), true);
    });
  }
  if (playButton) {
    playButton.addEventListener("click", toggle);
  }
  var back = $("button.back");
  var forward = $("button.forward");
  if (back) {
    back.addEventListener("click", function () { skip(-BACK); });
  }
  if (forward) {
    forward.addEventListener("click", function () { skip(FORWARD); });
  }
  player.addEventListener("play", function () {
    started = true;
    if (playButton) {
      playButton.textContent = "Pause";
    }
    if (resume) {
      resume.hidden = true;
    }
    loop();
  });
  player.addEventListener("pause", function () {
    if (playButton) {
      playButton.textContent = "Play";
    }
    savePosition(true);
  });

  links.forEach(function (link) {
    link.addEventListener("click", function (event) {
      var seconds = parseFloat(link.getAttribute("data-start"));
      // A modified click (new tab, download, ...) keeps the link's own meaning.
      var modified = event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey ||
        event.altKey;
      if (isNaN(seconds) || modified) {
        return;
      }
      event.preventDefault();
      seekTo(seconds, true);
    });
  });

  // --- the position, per episode --------------------------------------------------------------
  var positionKey = "newsvoice.position." + episodeId;
  var lastSaved = -1;
  function savePosition(force) {
    if (!started) {
      return; // never overwrite a stored position before the listener plays
    }
    var t = player.currentTime;
    if (!force && Math.abs(t - lastSaved) < 5) {
      return;
    }
    lastSaved = t;
    var done = player.ended || (isFinite(player.duration) && t > player.duration - RESUME_FROM);
    store(positionKey, t < RESUME_FROM || done ? null : t.toFixed(1));
  }
  player.addEventListener("seeked", function () { savePosition(true); });
  player.addEventListener("ended", function () { savePosition(true); });
  window.addEventListener("pagehide", function () { savePosition(true); });
  var resumeAt = parseFloat(stored(positionKey));
  if (resume && resumeButton && resumeAt >= RESUME_FROM) {
    resumeButton.textContent = "Resume at " + clock(resumeAt);
    resumeButton.setAttribute("data-start", resumeAt.toFixed(1));
    resume.hidden = false;
    resumeButton.addEventListener("click", function () {
      resume.hidden = true;
      seekTo(resumeAt, true);
    });
  }

  // --- read-along -------------------------------------------------------------------------------
  var reduced = window.matchMedia && matchMedia("(prefers-reduced-motion: reduce)").matches;
  var savedFollow = stored("newsvoice.follow");
  var following = savedFollow === null ? !reduced : savedFollow === "1";
  var scrolledAway = false;
  if (follow) {
    follow.checked = following;
    follow.addEventListener("change", function () {
      following = follow.checked;
      scrolledAway = false;
      store("newsvoice.follow", following ? "1" : "0");
      if (following && current >= 0) {
        reveal(sentences[current]);
      }
    });
  }
  function away() {
    scrolledAway = true;
  }
  window.addEventListener("wheel", away, { passive: true });
  window.addEventListener("touchmove", away, { passive: true });
  document.addEventListener("keydown", function (event) {
    var keys = ["PageUp", "PageDown", "Home", "End", "ArrowUp", "ArrowDown", " "];
    if (keys.indexOf(event.key) >= 0 && !event.target.closest(".read-along, select, input, audio")) {
      away();
    }
  });

  function onScreen(el, margin) {
    var box = el.getBoundingClientRect();
    var edge = innerHeight * margin;
    return box.top >= edge && box.bottom <= innerHeight - edge;
  }
  function reveal(el) {
    if (!onScreen(el, 0.15)) {
      el.scrollIntoView({ block: "center", behavior: reduced ? "auto" : "smooth" });
    }
  }

  // The sentence whose interval holds t (between sentences, none), by binary search.
  function sentenceAt(t) {
    var lo = 0;
    var hi = starts.length - 1;
    var found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (starts[mid] <= t) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found >= 0 && t < ends[found] ? found : -1;
  }
  function chapterAt(t) {
    var found = -1;
    chapterStarts.forEach(function (start, i) {
      if (start <= t + 0.05) {
        found = i;
      }
    });
    return found;
  }

  var current = -1;
  var chapter = -1;
  function update() {
    var t = player.currentTime;
    var index = sentenceAt(t);
    if (index !== current) {
      if (current >= 0) {
        sentences[current].classList.remove("speaking");
      }
      current = index;
      if (index >= 0) {
        var el = sentences[index];
        el.classList.add("speaking");
        if (!rover || document.activeElement !== rover) {
          rove(el);
        }
        if (following && !player.paused) {
          if (scrolledAway && onScreen(el, 0)) {
            scrolledAway = false; // the reader came back to where it reads
          }
          if (!scrolledAway) {
            reveal(el);
          }
        }
      }
    }
    var c = chapterAt(t);
    if (c !== chapter) {
      if (chapter >= 0) {
        links[chapter].removeAttribute("aria-current");
      }
      chapter = c;
      if (c >= 0) {
        links[c].setAttribute("aria-current", "time");
        if (nowChapter) {
          nowChapter.textContent = links[c].querySelector(".chapter-title").textContent;
        }
      }
    }
    savePosition(false);
  }
  var looping = false;
  function loop() {
    if (looping) {
      return;
    }
    looping = true;
    var step = function () {
      update();
      if (player.paused || player.ended) {
        looping = false;
        return;
      }
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  }
  ["timeupdate", "seeked", "loadedmetadata"].forEach(function (name) {
    player.addEventListener(name, update);
  });

  // The transcript as one tab stop: a roving tabindex over its sentences.
  var rover = null;
  function rove(el) {
    if (rover === el) {
      return;
    }
    if (rover) {
      rover.setAttribute("tabindex", "-1");
    }
    rover = el;
    el.setAttribute("tabindex", "0");
  }
  sentences.forEach(function (el, i) {
    el.setAttribute("tabindex", i === 0 ? "0" : "-1");
    el.addEventListener("click", function () {
      rove(el);
      scrolledAway = false;
      seekTo(starts[i], true);
    });
    el.addEventListener("focus", function () { rove(el); });
  });
  rover = sentences[0] || null;
  var readAlong = $(".read-along");
  if (readAlong) {
    readAlong.addEventListener("keydown", function (event) {
      var i = sentences.indexOf(event.target);
      if (i < 0 || event.ctrlKey || event.metaKey || event.altKey) {
        return;
      }
      var to = null;
      switch (event.key) {
        case "ArrowDown":
        case "ArrowRight":
          to = Math.min(sentences.length - 1, i + 1);
          break;
        case "ArrowUp":
        case "ArrowLeft":
          to = Math.max(0, i - 1);
          break;
        case "Home":
          to = 0;
          break;
        case "End":
          to = sentences.length - 1;
          break;
        case "Enter":
        case " ":
          event.preventDefault();
          scrolledAway = false;
          seekTo(starts[i], true);
          return;
        default:
          return;
      }
      event.preventDefault();
      rove(sentences[to]);
      sentences[to].focus();
    });
  }

  // --- shortcuts, only while the focus is in the player, the chapters or the transcript -----
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey || !target.closest ||
        !target.closest(".listen, .chapters, .transcript") ||
        target.closest("select, input, textarea")) {
      return;
    }
    var actions = {
      k: toggle,
      j: function () { skip(-BACK); },
      l: function () { skip(FORWARD); },
      "<": function () { changeSpeed(-1); },
      ">": function () { changeSpeed(1); },
    };
    var action = actions[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });
})();
