// @ts-self-types="../../../lib/cluster/mod.ts"
export {
  Cluster,
  serveWorker,
} from "../../cluster.js";
