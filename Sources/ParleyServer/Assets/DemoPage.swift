/// The demo page's HTML.
///
/// Visitor and bot text is inserted with `textContent`, never as HTML.
enum DemoPage {
    /// The widget key of the seeded demo tenant.
    static let widgetKey = "demo"

    static let html = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Parley demo</title>
        <style>
          body { font: 16px/1.5 system-ui, sans-serif; max-width: 42rem; margin: 2rem auto; padding: 0 1rem; color: #1d2330; }
          #log { border: 1px solid #d0d5dd; border-radius: 8px; padding: 1rem; min-height: 16rem; overflow-y: auto; }
          .message { margin: .5rem 0; padding: .5rem .75rem; border-radius: 8px; white-space: pre-wrap; }
          .customer { background: #e8f0fe; margin-left: 20%; }
          .assistant, .agent { background: #f2f4f7; margin-right: 20%; }
          .system { color: #667085; font-style: italic; }
          form { display: flex; gap: .5rem; margin-top: 1rem; }
          input { flex: 1; padding: .5rem; font: inherit; }
          #state { color: #667085; font-size: .875rem; }
        </style>
        </head>
        <body>
        <h1>Parley demo</h1>
        <p>This page talks to the demo tenant through the chat API. Ask anything, or ask for a human.</p>
        <div id="state">connecting…</div>
        <div id="log" aria-live="polite"></div>
        <form id="form"><input id="text" autocomplete="off" maxlength="8000" placeholder="Type a message" required>
        <button type="submit">Send</button></form>
        <script>
        (function () {
          var log = document.getElementById('log'), state = document.getElementById('state');
          var session = null;
          function show(role, text) {
            var div = document.createElement('div');
            div.className = 'message ' + role;
            div.textContent = text;
            log.appendChild(div);
            log.scrollTop = log.scrollHeight;
          }
          function call(path, body) {
            var headers = { 'Content-Type': 'application/json' };
            if (session) headers.Authorization = 'Bearer ' + session.visitor_token;
            return fetch(path, { method: body ? 'POST' : 'GET', headers: headers, body: body ? JSON.stringify(body) : undefined })
              .then(function (r) { return r.json().then(function (j) { if (!r.ok) throw new Error(j.error ? j.error.message : r.status); return j; }); });
          }
          var stored = localStorage.getItem('parley-demo-visitor');
          call('/api/widget/session', stored ? { widget_key: '\(widgetKey)', visitor_id: stored } : { widget_key: '\(widgetKey)' })
            .then(function (s) {
              session = s;
              localStorage.setItem('parley-demo-visitor', s.visitor_id);
              return call('/api/chat/history/' + encodeURIComponent(s.conversation_id));
            })
            .then(function (h) {
              h.messages.forEach(function (m) { show(m.role, m.text); });
              state.textContent = 'conversation ' + h.conversation.state;
            })
            .catch(function (e) { state.textContent = 'error: ' + e.message; });
          document.getElementById('form').addEventListener('submit', function (event) {
            event.preventDefault();
            var input = document.getElementById('text'), text = input.value;
            if (!text.trim() || !session) return;
            input.value = '';
            show('customer', text);
            var id = (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random());
            call('/api/chat/message', { conversation_id: session.conversation_id, client_message_id: id, text: text })
              .then(function (r) {
                if (r.reply) show('assistant', r.reply.text);
                state.textContent = 'conversation ' + r.conversation.state;
              })
              .catch(function (e) { show('system', 'Not sent: ' + e.message); });
          });
        })();
        </script>
        </body>
        </html>
        """
}
