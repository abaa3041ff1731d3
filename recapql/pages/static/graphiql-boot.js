// Boots GraphiQL from the page's JSON config: no inline script, so the CSP can forbid them.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("graphiql-config").textContent);
  var fetcher = GraphiQL.createFetcher({
    url: config.endpoint,
    headers: { accept: "application/graphql-response+json, application/json" },
  });
  var explorer = GraphiQLPluginExplorer.explorerPlugin();
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultTabs: config.tabs,
      defaultQuery: config.tabs.length ? config.tabs[0].query : undefined,
      defaultEditorToolsVisibility: true,
      plugins: [explorer],
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
    }),
  );
})();
