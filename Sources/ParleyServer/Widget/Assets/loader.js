/*
 * Parley widget loader (docs/widget.md, "Embedding").
 *
 * Finds its own <script data-parley-key> tag, takes the Parley server's base URL from the origin of its src,
 * fetches GET {base}/api/widget/config?key=KEY and loads the bundle (config.bundle.js). The bundle sets
 * Parley._boot(config, base, key), which builds the widget and returns the real dispatcher; the loader then
 * replays the calls queued in Parley.q and puts the dispatcher in window.Parley. The only global is `Parley`.
 */
(function (w, d) {
  var tag = d.currentScript || d.querySelector('script[data-parley-key]');
  var P = w.Parley;
  // No tag, or loaded twice (the stub is marked once the bundle is on its way).
  if (!tag || (P && P._l)) return;
  var key = tag.getAttribute('data-parley-key');
  var base = new URL(tag.src, location.href).origin;
  if (typeof P !== 'function') {
    P = function () { (P.q = P.q || []).push(arguments); };
    w.Parley = P;
  }
  P._l = 1;

  fetch(base + '/api/widget/config?key=' + encodeURIComponent(key))
    .then(function (r) {
      if (!r.ok) throw new Error('config ' + r.status);
      return r.json();
    })
    .then(function (config) {
      var s = d.createElement('script');
      s.async = true;
      s.src = new URL(config.bundle.js, base).href;
      s.onload = function () {
        if (typeof P._boot !== 'function') return;
        var api = P._boot(config, base, key);
        // Calls queued so far run in order; calls made meanwhile land in the same queue.
        for (var q = P.q || []; q.length; ) api.apply(null, q.shift());
        api._l = 1;
        w.Parley = api;
      };
      d.head.appendChild(s);
    })
    .catch(function (e) {
      if (w.console) console.warn('Parley: the widget could not load', e);
    });
})(window, document);
