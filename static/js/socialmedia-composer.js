/* Humas Portal: the social-media composer (templates/socialmedia/post_form.html).
 *
 * Shows the per-platform boxes of the chosen accounts' platforms only, counts
 * each platform's text live as the platform counts it, and previews the post
 * per platform (text, first image, account name and handle). Without this
 * script every box is shown and the server checks the same limits
 * (socialmedia/validation.py): the counting here follows it line by line,
 * and tests/browser/test_socialmedia_composer.py checks they agree.
 *
 * X's weighted length is the official twitter-text count (configuration v3),
 * from static/vendor/twitter-text/twitter-text.min.js. Loaded with defer. */
(() => {
  "use strict";

  const form = document.querySelector("form[data-composer]");
  const readJSON = (id) => {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  };
  const RULES = readJSON("composer-rules");
  if (!form || !RULES) {
    return;
  }
  const STRINGS = readJSON("composer-strings") || {};
  const STORED_MEDIA = readJSON("composer-media") || [];

  // The same whitespace as SPACE in socialmedia/validation.py.
  const SPACE = "\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
  const HASHTAG = new RegExp(`(?:^|(?<=[${SPACE}]))#[^${SPACE}#]+`, "gu");
  const MENTION = new RegExp(`(?:^|(?<=[${SPACE}]))@[A-Za-z0-9._]+`, "gu");
  const encoder = new TextEncoder();

  const format = (template, values) =>
    String(template || "").replace(/%\((\w+)\)s/g, (_, key) => String(values[key]));
  const number = (value) => Number(value).toLocaleString(document.documentElement.lang || "id");

  // --- counting, as socialmedia/validation.py counts --------------------------------

  function xWeightedLength(text) {
    return window.twttr.parseTweet(text).weightedLength;
  }

  function textLength(platform, text) {
    switch (RULES[platform].unit) {
      case "x_weighted":
        return xWeightedLength(text);
      case "utf8_bytes":
        return encoder.encode(text).length;
      case "utf16_units":
        return text.length;
      default:
        return Array.from(text).length; // code points, as Python's len()
    }
  }

  const countMatches = (pattern, text) => (text.match(pattern) || []).length;

  // Django's URLField adds the scheme the server then stores.
  function cleanLink(value) {
    const link = value.trim();
    if (!link) {
      return "";
    }
    return /^[a-z][a-z0-9+.-]*:/i.test(link) ? link : `https://${link}`;
  }

  function captionFor(platform, text, link, hasMedia) {
    if (!RULES[platform].link_in_text_without_media && !hasMedia) {
      return text;
    }
    if (link && !text.includes(link)) {
      return `${text}\n\n${link}`.trim();
    }
    return text;
  }

  // --- what the form holds -------------------------------------------------------------

  const mainText = form.querySelector("textarea[name=text]");
  const linkInput = form.querySelector("input[name=link]");
  const titleInput = form.querySelector("input[name=title]");
  const titleBox = form.querySelector("[data-composer-title]");
  const imageInput = form.querySelector("input[name=images]");
  const videoInput = form.querySelector("input[name=video]");
  const accountBoxes = Array.from(form.querySelectorAll("input[name=accounts][data-platform]"));
  const sections = Array.from(form.querySelectorAll("[data-platform-section]"));
  const summary = document.getElementById("composer-counts");
  const noJsNote = form.querySelector("[data-composer-nojs]");
  const emptyNote = form.querySelector("[data-composer-empty]");
  const ORDER = sections.map((section) => section.dataset.platformSection);

  function chosenAccounts() {
    return accountBoxes
      .filter((box) => box.checked)
      .map((box) => ({ platform: box.dataset.platform, name: box.dataset.name, handle: box.dataset.handle }));
  }

  function removedMedia() {
    return new Set(
      Array.from(form.querySelectorAll("input[name=remove_media]:checked")).map((box) => Number(box.value)),
    );
  }

  function media() {
    const removed = removedMedia();
    const kept = STORED_MEDIA.filter((item) => !removed.has(item.id));
    const newImages = imageInput ? Array.from(imageInput.files || []) : [];
    const newVideo = videoInput && videoInput.files && videoInput.files[0];
    const storedImage = kept.find((item) => item.kind === "image");
    const storedVideo = kept.find((item) => item.kind === "video");
    return {
      has: kept.length > 0 || newImages.length > 0 || Boolean(newVideo),
      firstImage: newImages[0] || (storedImage ? storedImage.url : null),
      videoName: newVideo ? newVideo.name : storedVideo ? storedVideo.name : "",
    };
  }

  function ownText(platform) {
    const box = form.querySelector(`textarea[data-platform-text="${platform}"]`);
    return box ? box.value.trim() : "";
  }

  // --- counts ----------------------------------------------------------------------------

  function countFor(platform, hasMedia) {
    const rules = RULES[platform];
    const own = ownText(platform);
    const text = own || mainText.value.trim();
    const caption = captionFor(platform, text, cleanLink(linkInput ? linkInput.value : ""), hasMedia);
    const length = textLength(platform, caption);
    const parts = [];
    let over = length > rules.max_text;
    const template = rules.unit === "utf8_bytes" ? STRINGS.count_bytes : STRINGS.count;
    parts.push(format(template, { count: number(length), max: number(rules.max_text) }));
    if (rules.max_hashtags !== null) {
      const tags = countMatches(HASHTAG, caption);
      over = over || tags > rules.max_hashtags;
      parts.push(format(STRINGS.hashtags, { count: tags, max: rules.max_hashtags }));
    }
    if (rules.max_mentions !== null) {
      const mentions = countMatches(MENTION, caption);
      over = over || mentions > rules.max_mentions;
      parts.push(format(STRINGS.mentions, { count: mentions, max: rules.max_mentions }));
    }
    let line = `${rules.label}: ${parts.join(" · ")}`;
    if (rules.unit === "x_weighted") {
      line += ` (${STRINGS.x_note})`;
    }
    if (own) {
      line += ` — ${STRINGS.own_text}`;
    }
    if (over) {
      // Named in words, not by colour alone.
      line += ` — ${STRINGS.over}`;
    }
    return { line, over, length, caption };
  }

  // --- preview ---------------------------------------------------------------------------

  let imageURL = null;
  let imageSource = null;

  function imageSrc(first) {
    if (!first) {
      return "";
    }
    if (typeof first === "string") {
      return first;
    }
    if (imageSource !== first) {
      if (imageURL) {
        URL.revokeObjectURL(imageURL);
      }
      imageURL = URL.createObjectURL(first);
      imageSource = first;
    }
    return imageURL;
  }

  function renderPreview(section, platform, accounts, caption, files) {
    const preview = section.querySelector("[data-preview-for]");
    if (!preview) {
      return;
    }
    const rules = RULES[platform];
    const mine = accounts.filter((account) => account.platform === platform);
    const first = mine[0] || { name: rules.label, handle: "" };
    preview.hidden = false;
    preview.querySelector(".preview-avatar").textContent = (first.name || "?").trim().charAt(0).toUpperCase();
    preview.querySelector(".preview-name").textContent = first.name;
    const handle = (first.handle || "").replace(/^@+/, "");
    preview.querySelector(".preview-handle").textContent = handle ? `@${handle}` : "";
    preview.querySelector(".preview-more").textContent =
      mine.length > 1 ? format(STRINGS.more_accounts, { count: mine.length - 1 }) : "";

    const title = preview.querySelector(".preview-title");
    title.hidden = !rules.needs_title;
    if (rules.needs_title) {
      title.textContent = (titleInput && titleInput.value.trim()) || STRINGS.no_title;
    }
    const text = preview.querySelector(".preview-text");
    text.textContent = caption || STRINGS.empty_text;
    text.classList.toggle("empty", !caption);

    const image = preview.querySelector(".preview-image");
    const video = preview.querySelector(".preview-video");
    if (rules.needs_video) {
      image.hidden = true;
      video.hidden = false;
      video.textContent = files.videoName ? `▶ ${format(STRINGS.video, { name: files.videoName })}` : STRINGS.no_video;
    } else if (files.firstImage) {
      image.hidden = false;
      image.src = imageSrc(files.firstImage);
      video.hidden = true;
    } else if (files.videoName) {
      image.hidden = true;
      video.hidden = false;
      video.textContent = `▶ ${format(STRINGS.video, { name: files.videoName })}`;
    } else {
      image.hidden = true;
      video.hidden = true;
    }
    // Facebook without media shows the link as a card below the text.
    const linkCard = preview.querySelector(".preview-link");
    const link = cleanLink(linkInput ? linkInput.value : "");
    const asCard = !rules.link_in_text_without_media && !files.has && Boolean(link);
    linkCard.hidden = !asCard;
    linkCard.textContent = asCard ? `🔗 ${link}` : "";
  }

  // --- putting it together ------------------------------------------------------------

  function update() {
    const accounts = chosenAccounts();
    const chosen = new Set(accounts.map((account) => account.platform));
    const files = media();
    const list = summary ? summary.querySelector("ul") : null;
    if (list) {
      list.replaceChildren();
    }
    for (const platform of ORDER) {
      const section = form.querySelector(`[data-platform-section="${platform}"]`);
      const on = chosen.has(platform);
      section.hidden = !on;
      if (!on) {
        continue;
      }
      const result = countFor(platform, files.has);
      const count = section.querySelector("[data-count-for]");
      count.hidden = false;
      count.textContent = result.line;
      count.classList.toggle("over", result.over);
      if (list) {
        const item = document.createElement("li");
        item.className = "composer-count-item";
        item.dataset.platform = platform;
        item.textContent = result.line;
        item.classList.toggle("over", result.over);
        list.append(item);
      }
      renderPreview(section, platform, accounts, result.caption, files);
    }
    if (summary) {
      summary.hidden = chosen.size === 0;
    }
    if (emptyNote) {
      emptyNote.hidden = chosen.size > 0;
    }
    if (titleBox) {
      // The title is YouTube's; shown when YouTube is chosen or it holds a value.
      titleBox.hidden = !chosen.has("youtube") && !(titleInput && titleInput.value.trim());
    }
  }

  if (noJsNote) {
    noJsNote.hidden = true;
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();

  // For the tests: the counts exactly as the composer computes them.
  window.humasComposer = {
    textLength,
    captionFor,
    countHashtags: (text) => countMatches(HASHTAG, text),
    countMentions: (text) => countMatches(MENTION, text),
  };
})();
