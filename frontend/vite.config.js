// Production build of the shell: the published openIMIS modules bundled under /front/, talking
// to the API on the same origin at /api (the values the assembly bakes in at build time).
import { defineConfig } from "vite";

const publicUrl = "/front";

export default defineConfig({
  base: `${publicUrl}/`,
  define: {
    "process.env.NODE_ENV": JSON.stringify("production"),
    "process.env.PUBLIC_URL": JSON.stringify(publicUrl),
    "process.env.REACT_APP_API_URL": JSON.stringify("api"),
  },
  resolve: {
    // One copy of each: the modules share React, redux and material-ui state with the shell.
    dedupe: ["react", "react-dom", "react-redux", "react-intl", "@material-ui/core", "@material-ui/styles"],
  },
  build: {
    outDir: "build",
    emptyOutDir: true,
    chunkSizeWarningLimit: 8000,
    sourcemap: false,
  },
});
