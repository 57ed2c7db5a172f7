// Redoc's bundle shows its maker's logo from the maker's host; STS pages fetch nothing from another
// host (the CSP would block it and log a violation), so that image is swapped for a local one
// before it loads. Loaded before redoc.standalone.js on /api/v1/docs/redoc/ only.
(() => {
  const remote = "https://cdn.redoc.ly/";
  const local = document.currentScript.dataset.logo;
  const swap = (value) => (typeof value === "string" && value.startsWith(remote) ? local : value);
  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    return setAttribute.call(this, name, name === "src" ? swap(value) : value);
  };
  const src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    configurable: true, enumerable: src.enumerable, get: src.get,
    set(value) { src.set.call(this, swap(value)); },
  });
})();
