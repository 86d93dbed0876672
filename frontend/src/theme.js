// The material-ui theme, with the extra sections the openIMIS modules style themselves from
// (paper, table, menu, journal drawer, dialogs, ...).
import { createTheme } from "@material-ui/core";

const teal = "#006273";
const lightTeal = "#b7d4d8";
const paleTeal = "#dbeef0";
const crossHatch = "repeating-linear-gradient(45deg, #d3d3d3 1px, #d3d3d3 1px, #fff 10px, #fff 10px)";

export default createTheme({
  palette: {
    primary: { main: teal },
    secondary: { main: "#fff" },
    error: { main: "#801a00" },
    text: { primary: teal, secondary: teal, second: "#fff", error: "#801a00" },
    toggledButton: "#999999",
  },
  typography: {
    fontFamily: ["Rubik", "Roboto", '"Helvetica Neue"', "sans-serif"].join(","),
    fontSize: 14,
    fontWeightRegular: 300,
    fontWeightMedium: 400,
    title: { fontSize: 20, fontWeight: 300 },
    label: { color: "grey" },
  },
  overrides: {
    MuiTableRow: { root: { "&$selected": { backgroundColor: "rgba(0, 0, 0, 0.08)" } } },
  },
  menu: {
    variant: "AppBar",
    drawer: { width: 300, fontSize: 16, backgroundColor: teal },
    appBar: { fontSize: 16 },
  },
  jrnlDrawer: { open: { width: 500 }, close: { width: 80 }, itemDetail: { marginLeft: 8 }, iconSize: 24 },
  page: { padding: 16, locked: { background: crossHatch } },
  paper: {
    paper: { margin: 10, backgroundColor: paleTeal },
    header: { color: teal, backgroundColor: lightTeal },
    message: { backgroundColor: lightTeal },
    title: { padding: 10, fontSize: 24, color: teal, backgroundColor: lightTeal },
    action: { padding: 5 },
    divider: { padding: 0, margin: 0 },
    body: { marginTop: 10, backgroundColor: paleTeal },
    item: { padding: 10 },
  },
  table: {
    title: { padding: 10, fontWeight: 500, color: teal, backgroundColor: lightTeal },
    header: { color: teal },
    headerAction: { padding: 5 },
    row: { color: teal, align: "center", "&:hover": { background: "rgba(0, 0, 0, 0.12) !important" } },
    cell: { padding: 5 },
    lockedRow: { background: crossHatch },
    lockedCell: {},
    highlightedRow: {},
    highlightedCell: { fontWeight: 500, align: "center" },
    secondaryHighlightedRow: { backgroundColor: "#cbedf2" },
    secondaryHighlightedCell: {},
    highlightedAltRow: {},
    highlightedAltCell: { fontStyle: "italic", align: "center" },
    disabledRow: {},
    disabledCell: { color: "grey", align: "center" },
    footer: { color: teal },
    pager: { color: teal },
  },
  form: { spacing: 10 },
  formTable: { table: { color: teal }, actions: { color: teal }, header: { color: teal, align: "center" } },
  dialog: {
    title: { fontWeight: 500, color: "grey" },
    content: { padding: 0 },
    primaryButton: {
      backgroundColor: teal,
      color: "#fff",
      fontWeight: "bold",
      "&:hover": { backgroundColor: "rgba(0, 98, 115, 0.5)", color: teal },
    },
    secondaryButton: {},
  },
  tooltipContainer: {
    position: "fixed",
    bottom: 15,
    right: 8,
    zIndex: 2000,
    display: "flex",
    flexDirection: "column",
    alignItems: "flex-end",
  },
  flexTooltip: { marginBottom: 5 },
  fab: { position: "fixed", bottom: 20, right: 8, zIndex: 2000 },
  fakeInput: {},
  bigAvatar: { width: 160, height: 160 },
  buttonContainer: {
    horizontal: { display: "flex", flexWrap: "nowrap", overflowX: "auto", justifyContent: "flex-end" },
  },
});
