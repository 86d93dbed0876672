// The shell: read the modules' configuration from the server, build the modules manager and the
// store from the registered modules, then hand over to fe-core's App (login, routes, menus).
import "./globals";
import React, { useEffect, useState } from "react";
import ReactDOM from "react-dom";
import { LinearProgress, MuiThemeProvider } from "@material-ui/core";
import { MuiPickersUtilsProvider } from "@material-ui/pickers";
import MomentUtils from "@date-io/moment";
import { Provider } from "react-redux";
import { App, FatalError, apiHeaders, baseApiUrl } from "@openimis/fe-core";
import ModulesManager from "./ModulesManager";
import ModulesManagerProvider from "./ModulesManagerProvider";
import LocalesManager from "./LocalesManager";
import createAppStore from "./store";
import theme from "./theme";
import messages from "./messages.json";
import logo from "./logo.svg";
import "./index.css";

const CONFIGURATION_QUERY = "{ moduleConfigurations { module, config, controls{ field, usage } } }";

async function loadConfiguration() {
  const response = await fetch(`${baseApiUrl}/graphql`, {
    method: "post",
    headers: apiHeaders(),
    body: JSON.stringify({ query: CONFIGURATION_QUERY }),
  });
  if (!response.ok) throw response;
  const { data } = await response.json();
  const config = {};
  for (const { module, config: json, controls } of data.moduleConfigurations) {
    try {
      config[module] = { controls, ...JSON.parse(json) };
    } catch (error) {
      console.error(`The configuration of module ${module} is not JSON`, error);
    }
  }
  return config;
}

function Shell() {
  const [state, setState] = useState({ loading: true });

  useEffect(() => {
    loadConfiguration().then(
      (config) => setState({ loading: false, config }),
      (error) => setState({ loading: false, error }),
    );
  }, []);

  if (state.loading) {
    return <LinearProgress className="bootstrap" />;
  }
  if (state.error) {
    return <FatalError error={{ code: state.error.status, message: state.error.statusText }} />;
  }
  return <LoadedApp config={state.config} />;
}

function LoadedApp({ config }) {
  const [{ modulesManager, store }] = useState(() => {
    const manager = new ModulesManager(config);
    const reducers = Object.fromEntries(manager.getContribs("reducers").map((r) => [r.key, r.reducer]));
    return { modulesManager: manager, store: createAppStore(reducers, manager.getContribs("middlewares")) };
  });
  return (
    <Provider store={store}>
      <MuiPickersUtilsProvider utils={MomentUtils}>
        <ModulesManagerProvider modulesManager={modulesManager}>
          <App
            basename={process.env.PUBLIC_URL}
            localesManager={new LocalesManager()}
            messages={messages}
            logo={logo}
          />
        </ModulesManagerProvider>
      </MuiPickersUtilsProvider>
    </Provider>
  );
}

ReactDOM.render(
  <MuiThemeProvider theme={theme}>
    <Shell />
  </MuiThemeProvider>,
  document.getElementById("root"),
);
