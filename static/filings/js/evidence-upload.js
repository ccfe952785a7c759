/* The evidence uploader (申报材料): resumable uploads with tus-js-client, progress, pause/resume,
 * automatic retry on a dropped connection, resume after a page reload (the same file chosen again
 * continues where the server stopped), and live status of the inspection (polling the JSON status
 * endpoint). No inline script: configuration and texts come from a json_script block. */
(function () {
  "use strict";

  var POLL_MS = 2000;

  function formatBytes(size) {
    // the same rule as portal.filings.evidence.refusals.format_bytes (1 MB = 1024 × 1024 bytes)
    if (size < 1024) { return size + " 字节"; }
    var units = [["KB", 1024], ["MB", 1048576], ["GB", 1073741824]];
    for (var i = 0; i < units.length; i++) {
      if (size < units[i][1] * 1024 || units[i][0] === "GB") {
        var text = (size / units[i][1]).toFixed(units[i][0] === "GB" ? 2 : 1);
        text = text.replace(/\.?0+$/, "");
        return text + " " + units[i][0];
      }
    }
    return String(size);
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : match;
    });
  }

  function Uploader(root) {
    this.root = root;
    this.config = JSON.parse(document.getElementById(root.dataset.configId).textContent);
    this.messages = this.config.messages;
    this.input = root.querySelector("[data-file-input]");
    this.list = root.querySelector("[data-archive-list]");
    this.panel = root.querySelector("[data-progress-panel]");
    this.bar = root.querySelector("[data-progress]");
    this.nameLabel = root.querySelector("[data-progress-name]");
    this.progressText = root.querySelector("[data-progress-text]");
    this.statusText = root.querySelector("[data-progress-status]");
    this.errorBox = root.querySelector("[data-upload-error]");
    this.pauseButton = root.querySelector("[data-action=pause]");
    this.resumeButton = root.querySelector("[data-action=resume]");
    this.current = null;
    this.pendingReplace = null;
    this.polling = false;
    this.bind();
    this.poll();
  }

  Uploader.prototype.bind = function () {
    var self = this;
    this.root.addEventListener("click", function (event) {
      var button = event.target.closest("[data-action]");
      if (!button || !self.root.contains(button)) { return; }
      var action = button.dataset.action;
      if (action === "choose" || action === "replace" || action === "resume-file") {
        if (self.current) { self.showError(self.messages.busy); return; }
        self.pendingReplace = button.dataset.replaceId || null;
        self.input.click();
      } else if (action === "pause") {
        self.pause();
      } else if (action === "resume") {
        self.resume();
      } else if (action === "cancel") {
        self.cancel();
      }
    });
    this.root.addEventListener("submit", function (event) {
      var form = event.target.closest("form[data-confirm]");
      if (form && !window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
    this.input.addEventListener("change", function () {
      var file = self.input.files && self.input.files[0];
      if (file) { self.start(file, self.pendingReplace); }
      self.input.value = "";
    });
    window.addEventListener("online", function () {
      if (self.current && self.current.stalled) { self.resume(); }
    });
  };

  Uploader.prototype.rows = function () {
    return Array.prototype.slice.call(this.list.querySelectorAll("[data-evidence-archive]"));
  };

  Uploader.prototype.row = function (id) {
    return this.rows().filter(function (row) { return row.dataset.id === id; })[0] || null;
  };

  // An unfinished upload the server already holds for this very file (same name and size):
  // resuming it works even when this browser's own record (localStorage) is gone.
  Uploader.prototype.serverUpload = function (file) {
    return this.rows().filter(function (row) {
      return row.dataset.state === "uploading" && row.dataset.filename === file.name &&
        Number(row.dataset.size) === file.size;
    })[0] || null;
  };

  Uploader.prototype.start = function (file, replaces) {
    var self = this;
    this.hideError();
    var known = this.serverUpload(file);
    var metadata = { filename: file.name, filetype: file.type || "application/zip" };
    if (replaces) { metadata.replaces = replaces; }
    var options = {
      endpoint: this.config.endpoint,
      chunkSize: this.config.chunkBytes,
      retryDelays: [0, 1000, 3000, 5000, 10000, 20000, 30000],
      metadata: metadata,
      headers: { "X-CSRFToken": this.config.csrfToken },
      removeFingerprintOnSuccess: true,
      onUploadUrlAvailable: function () { self.refresh(self.idOf(upload.url)); },
      onProgress: function (sent, total) { self.progress(sent, total); },
      onShouldRetry: function (error) {
        var status = error.originalResponse ? error.originalResponse.getStatus() : 0;
        var retry = (status === 0 || status >= 500 || status === 409 || status === 423 || status === 460) &&
          navigator.onLine !== false;
        if (retry) { self.status(self.messages.retrying); }
        return retry;
      },
      onError: function (error) { self.failed(error); },
      onSuccess: function () { self.finished(); }
    };
    if (known) { options.uploadUrl = known.dataset.tusUrl; }
    var upload = new window.tus.Upload(file, options);
    this.current = { upload: upload, file: file, stalled: false };
    this.nameLabel.textContent = file.name;
    this.panel.hidden = false;
    this.pauseButton.hidden = false;
    this.resumeButton.hidden = true;
    this.progress(known ? Number(known.querySelector("[data-row-progress]").value) : 0, file.size);
    this.status(this.messages.connecting);
    upload.findPreviousUploads().then(function (previous) {
      if (!known && previous.length) { upload.resumeFromPreviousUpload(previous[0]); }
      upload.start();
    });
  };

  Uploader.prototype.idOf = function (url) {
    var parts = String(url || "").split("/");
    return parts[parts.length - 1] || parts[parts.length - 2];
  };

  Uploader.prototype.progress = function (sent, total) {
    var percent = total ? Math.floor(sent * 100 / total) : 0;
    var text = fill(this.messages.progress, { done: formatBytes(sent), total: formatBytes(total), percent: percent });
    this.bar.value = percent;
    this.progressText.textContent = text;
    if (this.current && this.current.upload.url) {
      var row = this.row(this.idOf(this.current.upload.url));
      if (row) {
        var bar = row.querySelector("[data-row-progress]");
        var label = row.querySelector("[data-row-progress-text]");
        var hint = row.querySelector("[data-resume-hint]");
        if (bar) { bar.value = sent; }
        if (label) { label.textContent = text; }
        if (hint) { hint.hidden = true; }
      }
      this.status(this.messages.uploading);
    }
  };

  Uploader.prototype.status = function (text) { this.statusText.textContent = text; };

  Uploader.prototype.pause = function () {
    if (!this.current) { return; }
    this.current.upload.abort();
    this.pauseButton.hidden = true;
    this.resumeButton.hidden = false;
    this.status(this.messages.paused);
  };

  Uploader.prototype.resume = function () {
    if (!this.current) { return; }
    this.current.stalled = false;
    this.pauseButton.hidden = false;
    this.resumeButton.hidden = true;
    this.hideError();
    this.status(this.messages.connecting);
    this.current.upload.start();
  };

  Uploader.prototype.cancel = function () {
    if (!this.current || !window.confirm(this.messages.confirm_cancel)) { return; }
    var self = this;
    var upload = this.current.upload;
    var id = upload.url ? this.idOf(upload.url) : null;
    this.current = null;
    this.panel.hidden = true;
    upload.abort(true).then(function () {
      var row = id && self.row(id);
      if (row) { row.remove(); }
    }, function () { if (id) { self.refresh(id); } });
  };

  Uploader.prototype.finished = function () {
    var id = this.idOf(this.current.upload.url);
    this.current = null;
    this.status(this.messages.done);
    this.panel.hidden = true;
    this.refresh(id);
  };

  Uploader.prototype.failed = function (error) {
    var response = error && error.originalResponse;
    var status = response ? response.getStatus() : 0;
    if (status === 0) {
      // the network is gone and retries ran out: keep the upload, resume when it is back
      this.current.stalled = true;
      this.pauseButton.hidden = true;
      this.resumeButton.hidden = false;
      this.status("");
      this.showError(this.messages.offline);
      return;
    }
    var message = this.messages.failed;
    try { message = JSON.parse(response.getBody()).message || message; } catch (ignored) { /* not JSON */ }
    var id = this.current.upload.url ? this.idOf(this.current.upload.url) : null;
    this.current = null;
    this.panel.hidden = true;
    this.showError(message);
    if (id) { this.refresh(id); }
  };

  Uploader.prototype.showError = function (message) {
    this.errorBox.textContent = message;
    this.errorBox.hidden = false;
  };

  Uploader.prototype.hideError = function () { this.errorBox.hidden = true; };

  // Re-render one row from the server (its HTML comes from the same template as the page).
  Uploader.prototype.refresh = function (id) {
    var self = this;
    var row = this.row(id);
    var statusUrl = row ? row.dataset.statusUrl : this.config.endpoint.replace(/uploads\/$/, id + "/status/") + (this.config.statusQuery || "");
    return fetch(statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 404) { if (row) { row.remove(); } return null; }
        return response.json();
      })
      .then(function (data) { if (data) { self.upsert(data); } })
      .catch(function () { /* the next poll tries again */ })
      .then(function () { self.poll(); });
  };

  Uploader.prototype.upsert = function (data) {
    var template = document.createElement("template");
    template.innerHTML = data.html.trim();
    var fresh = template.content.firstElementChild;
    var existing = this.row(data.id);
    var empty = this.list.querySelector("[data-empty]");
    if (empty) { empty.remove(); }
    if (existing) {
      var replaced = existing.dataset.replaces;
      existing.replaceWith(fresh);
      if (data.state === "passed" && replaced) {
        var old = this.row(replaced);
        if (old) { old.remove(); }
      }
    } else {
      this.list.insertBefore(fresh, this.list.firstChild);
    }
    if (this.current && this.current.upload.url && this.idOf(this.current.upload.url) === data.id) {
      var hint = fresh.querySelector("[data-resume-hint]");
      if (hint) { hint.hidden = true; }
    }
    // On a filing's confirmation page: a zip that just passed is chosen for the filing when
    // nothing else is (the person sees the tick and may change it).
    var choice = fresh.querySelector('input[type="radio"][name="evidence"]');
    if (choice && data.state === "passed" && !this.list.querySelector('input[name="evidence"]:checked')) {
      choice.checked = true;
    }
  };

  // While any archive is 检查中, ask for its status every POLL_MS.
  Uploader.prototype.poll = function () {
    var self = this;
    if (this.polling) { return; }
    var checking = this.rows().filter(function (row) { return row.dataset.state === "checking"; });
    if (!checking.length) { return; }
    this.polling = true;
    window.setTimeout(function () {
      self.polling = false;
      checking.forEach(function (row) { self.refresh(row.dataset.id); });
    }, POLL_MS);
  };

  document.querySelectorAll("[data-evidence-uploader]").forEach(function (root) { new Uploader(root); });
}());
