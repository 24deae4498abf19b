// Parse a podcast feed with podcast-partytime (the Podcast Index's parser) and print what
// it found as JSON: the channel's podcast:guid and locked state, and each item's guid,
// enclosure, duration, chapters, transcripts, people and txt. Exit 1 when it cannot read the feed.
"use strict";
const fs = require("fs");
const pt = require("podcast-partytime");

const feed = pt.parseFeed(fs.readFileSync(process.argv[2], "utf8"), { allowMissingGuid: false });
if (!feed) {
  console.log(JSON.stringify({ ok: false }));
  process.exit(1);
}
console.log(
  JSON.stringify({
    ok: true,
    title: feed.title,
    language: feed.language,
    guid: feed.guid,
    locked: feed.locked,
    pc20: feed.pc20support,
    image: feed.itunesImage,
    categories: feed.itunesCategory || feed.categories,
    txt: feed.podcastTxt,
    items: feed.items.map((item) => ({
      guid: item.guid,
      title: item.title,
      enclosure: item.enclosure,
      duration: item.duration,
      chapters: item.podcastChapters,
      transcripts: item.podcastTranscripts,
      people: item.podcastPeople,
      txt: item.podcastTxt,
    })),
  }),
);
