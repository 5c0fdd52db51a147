// Live countdowns for open monitoring ports. The page works without this: it shows the closing time.
(function () {
  "use strict";
  var items = document.querySelectorAll("[data-expires-at]");
  if (items.length === 0) return;
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function tick() {
    var now = Date.now();
    items.forEach(function (el) {
      var left = Math.max(0, Math.round((Date.parse(el.getAttribute("data-expires-at")) - now) / 1000));
      var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
      el.textContent = left === 0 ? "closing now" : "in " + (h > 0 ? h + ":" + pad(m) : m) + ":" + pad(s);
    });
  }
  tick();
  setInterval(tick, 1000);
})();
