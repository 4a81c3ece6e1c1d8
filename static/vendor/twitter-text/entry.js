// The part of the official twitter-text package the composer uses, bundled
// for the browser as window.twttr by build.sh. See README.md.
import parseTweet from "twitter-text/dist/esm/parseTweet";

window.twttr = { parseTweet };
