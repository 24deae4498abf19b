// newsvoice index pages: search the episodes' titles and standfirsts, from search.json (the
// site's own file; no third-party script, no server). Every word typed must match, ignoring
// case and accents. The number of matches is announced (role="status"); the results replace
// the list until the box is emptied. Without this script the box stays hidden and the
// pages list every episode, 50 a page.
"use strict";
(function () {
  var box = document.querySelector("div.search");
  var input = document.getElementById("search");
  var status = document.getElementById("search-status");
  var results = document.getElementById("search-results");
  var listing = document.querySelector("ol.episodes[aria-labelledby]");
  var pages = document.querySelector("nav.pages");
  if (!box || !input || !status || !results) {
    return;
  }
  box.hidden = false;
  var episodes = null;
  var loading = null;

  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function load() {
    if (!loading) {
      loading = fetch("search.json", { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          episodes = (data.episodes || []).map(function (e) {
            e.haystack = fold(e.title + " " + e.standfirst);
            return e;
          });
        })
        .catch(function () {
          status.textContent = "The search is not available.";
        });
    }
    return loading;
  }

  function element(tag, text, attributes) {
    var node = document.createElement(tag);
    if (text) {
      node.textContent = text;
    }
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    return node;
  }

  function show(query) {
    var words = fold(query).split(/\s+/).filter(Boolean);
    while (results.firstChild) {
      results.removeChild(results.firstChild);
    }
    if (!words.length) {
      results.hidden = true;
      status.textContent = "";
      if (listing) {
        listing.hidden = false;
      }
      if (pages) {
        pages.hidden = false;
      }
      return;
    }
    var found = episodes.filter(function (e) {
      return words.every(function (w) { return e.haystack.indexOf(w) >= 0; });
    });
    found.slice(0, 50).forEach(function (e) {
      var item = element("li", "", e.language ? { lang: e.language } : {});
      var article = element("article");
      if (e.image) {
        article.appendChild(element("img", "", { src: e.image, alt: "", width: "96",
          height: "96", class: "thumb", loading: "lazy" }));
      }
      var heading = element("h3");
      heading.appendChild(element("a", e.title, { href: e.url }));
      article.appendChild(heading);
      if (e.standfirst) {
        article.appendChild(element("p", e.standfirst));
      }
      var meta = [e.byline, e.dateText, e.duration].filter(Boolean).join(" · ");
      article.appendChild(element("p", meta, { class: "meta" }));
      item.appendChild(article);
      results.appendChild(item);
    });
    results.hidden = false;
    if (listing) {
      listing.hidden = true;
    }
    if (pages) {
      pages.hidden = true;
    }
    var n = found.length;
    status.textContent = n === 0 ? "No episode matches." :
      n + (n === 1 ? " episode matches" : " episodes match") +
      (n > 50 ? "; the first 50 are shown." : ".");
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      load().then(function () {
        if (episodes) {
          show(input.value);
        }
      });
    }, 150);
  });
  input.addEventListener("focus", load, { once: true });
})();
