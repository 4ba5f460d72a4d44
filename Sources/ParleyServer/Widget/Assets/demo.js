/*
 * Acme Outfitters demo shop script (served at /demo/demo.js; no inline handlers on the pages).
 * On the cart page, "Add to cart" (#add-to-cart, price in data-price) adds an item, updates the counters and
 * reports the cart to Parley: Parley('track', 'cart_updated', {cart: {items, value, currency}}).
 */
(function () {
  var button = document.getElementById('add-to-cart');
  if (!button) return;
  var items = 0;
  var price = Number(button.getAttribute('data-price')) || 49;

  function show(id, text) {
    var el = document.getElementById(id);
    if (el) el.textContent = text;
  }

  button.addEventListener('click', function () {
    items += 1;
    var value = Math.round(items * price * 100) / 100;
    show('cart-count', String(items));
    show('cart-total', '$' + value.toFixed(2));
    if (typeof window.Parley === 'function') {
      window.Parley('track', 'cart_updated', { cart: { items: items, value: value, currency: 'USD' } });
    }
  });
})();
