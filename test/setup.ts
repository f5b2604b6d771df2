// Reports drawn in tests load vega the way the command line does (src/node/chartLibraries.ts).
import "../src/node/chartLibraries.ts";
