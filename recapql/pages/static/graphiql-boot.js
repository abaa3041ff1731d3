// Boots GraphiQL from the page's JSON config: no inline script, so the CSP can forbid them.
//
// The address follows the editor: as the query, variables or operation change, they are written
// into it (/graphql?query=…&variables=…&operationName=…), so a query can be linked. Opening such
// a link shows that query as the active tab, beside the welcome and example tabs. Headers are
// never written: they may hold credentials.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("graphiql-config").textContent);
  var tabs = [config.welcome].concat(config.examples);
  var linked = linkedTab(new URLSearchParams(window.location.search));
  // GraphiQL opens its defaultTabs only when it has no tabs of its own stored (getDefaultTabState);
  // then it ignores the `query` prop, so a link's tab is added here and opened once it is mounted.
  var firstVisit = !storedTabs();
  var linkedIndex = -1;
  if (linked && firstVisit) {
    linkedIndex = tabs.findIndex(function (tab) {
      return tab.query === linked.query && !linked.variables;
    });
    if (linkedIndex < 0) {
      tabs.push({ query: linked.query, variables: linked.variables });
      linkedIndex = tabs.length - 1;
    }
  }

  // replaceState, not pushState: typing is no navigation, and Back should leave the page.
  // Debounced: GraphiQL reports every keystroke, and browsers throttle replaceState. 600 ms, a
  // little longer than GraphiQL waits (500 ms) before it stores its tabs: once the address shows
  // an edit, the stored tab holds it too, and reloading reopens that tab rather than a copy.
  var address = { query: null, variables: null, operationName: null };
  var pending = null;
  function follow(changes) {
    Object.assign(address, changes);
    window.clearTimeout(pending);
    pending = window.setTimeout(writeAddress, 600);
  }
  function writeAddress() {
    var params = new URLSearchParams();
    // The welcome is what /graphql opens on anyway; its comments would only make a long link.
    if (address.query && address.query !== config.welcome.query) {
      params.set("query", address.query);
      if (address.variables && address.variables.trim()) params.set("variables", address.variables);
      if (address.operationName) params.set("operationName", address.operationName);
    }
    var search = params.toString();
    var url = window.location.pathname + (search ? "?" + search : "") + window.location.hash;
    if (url !== window.location.pathname + window.location.search + window.location.hash) {
      window.history.replaceState(window.history.state, "", url);
    }
  }

  // Rendered inside GraphiQL's providers (as a toolbar component that draws nothing), to reach
  // its editors through @graphiql/react's public useEditorContext once CodeMirror has made them.
  function OnceMounted() {
    var editors = GraphiQL.React.useEditorContext({ nonNull: true });
    var opened = React.useRef(false);
    React.useEffect(function () {
      labelEditor(editors.queryEditor, "Query editor");
      labelEditor(editors.variableEditor, "Variables editor (JSON)");
      labelEditor(editors.headerEditor, "Headers editor (JSON)");
      labelEditor(editors.responseEditor, "Response");
      if (opened.current || !editors.queryEditor || !editors.variableEditor || !editors.responseEditor) return;
      opened.current = true;
      if (linkedIndex > 0) editors.changeTab(linkedIndex);
      if (linked && linked.operationName) editors.setOperationName(linked.operationName);
    });
    // GraphiQL leaves the tab bar where it was: a linked tab (the last) would open out of sight.
    React.useEffect(
      function () {
        var active = document.querySelector(".graphiql-tab-active");
        if (active) active.scrollIntoView({ block: "nearest", inline: "nearest" });
      },
      [editors.activeTabIndex],
    );
    return null;
  }

  var fetcher = GraphiQL.createFetcher({
    url: config.endpoint,
    headers: { accept: "application/graphql-response+json, application/json" },
  });
  var explorer = GraphiQLPluginExplorer.explorerPlugin();
  var props = {
    fetcher: fetcher,
    defaultTabs: tabs,
    // A new tab (+) starts from the nested agenda query, as the first tab did before the welcome.
    defaultQuery: config.examples.length ? config.examples[0].query : undefined,
    defaultEditorToolsVisibility: true,
    plugins: [explorer],
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
    toolbar: { additionalComponent: OnceMounted },
    onEditQuery: function (query) {
      follow({ query: query });
    },
    onEditVariables: function (variables) {
      follow({ variables: variables });
    },
    onEditOperationName: function (operationName) {
      follow({ operationName: operationName });
    },
    onTabChange: function (state) {
      var tab = state.tabs[state.activeTabIndex];
      follow({ query: tab.query, variables: tab.variables, operationName: tab.operationName });
    },
  };
  if (linked && !firstVisit) {
    // GraphiQL's own rule for a later visit: the stored tab holding this query and these
    // variables becomes active, or a new tab with them is added after the user's own.
    props.query = linked.query;
    props.variables = linked.variables || "";
  }
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(React.createElement(GraphiQL, props));

  function linkedTab(params) {
    var query = params.get("query");
    if (!query || !query.trim()) return null;
    return { query: query, variables: params.get("variables") || null, operationName: params.get("operationName") };
  }

  function storedTabs() {
    try {
      return window.localStorage.getItem("graphiql:tabState");
    } catch (error) {
      return null; // storage disabled: GraphiQL cannot read any either
    }
  }

  // CodeMirror 5's own option (an aria-label on its hidden textarea): GraphiQL sets none, so
  // screen readers and axe met four unlabelled text areas.
  function labelEditor(editor, label) {
    if (editor && editor.getOption("screenReaderLabel") !== label) editor.setOption("screenReaderLabel", label);
  }
})();
