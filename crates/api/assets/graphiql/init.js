// Starts GraphiQL on Pendamping's /graphql page. An external file, so that the
// page's Content-Security-Policy needs no inline script.
//
// Authentication, either way:
// - a bearer token typed in the Headers editor: {"Authorization": "Bearer <token>"};
//   subscriptions send the same token in the WebSocket's connection_init;
// - the web application's session: the page carries the session's anti-forgery
//   value in <meta name="pendamping-csrf">, sent back as the x-pendamping-csrf
//   header beside the HttpOnly session cookie.
(function () {
  'use strict';

  var root = document.getElementById('graphiql');
  var meta = document.querySelector('meta[name="pendamping-csrf"]');
  var csrf = meta ? meta.getAttribute('content') : null;

  function absolute(path, websocket) {
    var url = new URL(path, window.location.href);
    if (websocket) {
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    }
    return url.toString();
  }

  function sameOriginFetch(input, init) {
    var options = Object.assign({}, init, { credentials: 'same-origin' });
    var headers = new Headers(options.headers || {});
    if (csrf) {
      headers.set('x-pendamping-csrf', csrf);
    }
    options.headers = headers;
    return window.fetch(input, options);
  }

  function bearerOf(headers) {
    var names = Object.keys(headers || {});
    for (var i = 0; i < names.length; i += 1) {
      if (names[i].toLowerCase() === 'authorization') {
        var match = /^\s*bearer\s+(\S+)\s*$/i.exec(String(headers[names[i]]));
        return match ? match[1] : null;
      }
    }
    return null;
  }

  // One GraphiQL fetcher per bearer token, so that subscriptions authenticate
  // their WebSocket with the token of the Headers editor.
  var fetchers = {};
  function fetcherFor(token) {
    var key = token || '';
    if (!fetchers[key]) {
      fetchers[key] = GraphiQL.createFetcher({
        url: absolute(root.dataset.endpoint, false),
        subscriptionUrl: absolute(root.dataset.subscriptions, true),
        wsConnectionParams: token ? { token: token } : {},
        fetch: sameOriginFetch,
      });
    }
    return fetchers[key];
  }

  function fetcher(params, options) {
    return fetcherFor(bearerOf(options && options.headers))(params, options);
  }

  var defaultQuery = [
    '# Pendamping\'s GraphQL API.',
    '#',
    '# Logged in to the web application? Your session works here as it is.',
    '# Otherwise log in for a token:',
    '#   mutation { login(input: { email: "…", password: "…" }) { token } }',
    '# and put {"Authorization": "Bearer <token>"} in the Headers editor below.',
    '',
    'query WhoAmI {',
    '  viewer {',
    '    label',
    '    roles { role }',
    '  }',
    '}',
    '',
  ].join('\n');

  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: defaultQuery,
      defaultEditorToolsVisibility: true,
    })
  );
})();
