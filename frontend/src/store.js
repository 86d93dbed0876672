// The redux store: the modules' reducers and middlewares, behind thunk and the API middleware
// the modules' actions are written for.
import thunk from "redux-thunk";
import { apiMiddleware } from "redux-api-middleware";
import { applyMiddleware, combineReducers, createStore } from "redux";

export default function createAppStore(reducers, middlewares = []) {
  return createStore(combineReducers(reducers), applyMiddleware(thunk, apiMiddleware, ...middlewares));
}
