// Hands the modules manager to the modules' `withModulesManager` components through React's
// legacy context, which is where fe-core 1.11 reads it.
import { Children, Component } from "react";
import PropTypes from "prop-types";

export default class ModulesManagerProvider extends Component {
  static propTypes = { modulesManager: PropTypes.object.isRequired };
  static childContextTypes = { modulesManager: PropTypes.object.isRequired };

  getChildContext() {
    return { modulesManager: this.props.modulesManager };
  }

  render() {
    return Children.only(this.props.children);
  }
}
