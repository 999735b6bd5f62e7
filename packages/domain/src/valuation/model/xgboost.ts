// An evaluator for XGBoost tree ensembles saved in XGBoost's JSON format (checked against
// XGBoost 1.7.4), with exact TreeSHAP. Serving needs no Python: the TypeScript server reads the
// model file the training script wrote and walks its trees itself.

/** One regression tree as parallel arrays indexed by node id; a leaf has left = -1. */
export interface Tree {
  left: Int32Array;
  right: Int32Array;
  feature: Int32Array;
  /** Split threshold as a float32 value: a row goes left when value < threshold. */
  threshold: Float64Array;
  defaultLeft: Uint8Array;
  /** The leaf value (learning rate already applied); unused for internal nodes. */
  leafValue: Float64Array;
  /** Sum of hessians of the training rows that reached each node (XGBoost's cover). */
  cover: Float64Array;
  /** Cover-weighted mean of the leaf values below each node, the tree's expected output. */
  meanValue: Float64Array;
  maxDepth: number;
}

export interface TreeEnsemble {
  objective: string;
  /** The starting margin every prediction adds its trees to. */
  baseMargin: number;
  featureCount: number;
  featureNames: string[];
  trees: Tree[];
  maxDepth: number;
}

export interface Explanation {
  /** Raw model output: base margin plus every tree's leaf value. */
  margin: number;
  /** Expected margin over the training data: the SHAP base value. */
  bias: number;
  /** SHAP value per feature, in margin units; bias plus their sum equals margin. */
  contributions: number[];
}

// The JSON layout of XGBoost 1.7 model files, as far as this evaluator reads it.
interface JsonTree {
  left_children: number[];
  right_children: number[];
  split_indices: number[];
  split_conditions: number[];
  default_left: Array<number | boolean>;
  sum_hessian: number[];
  split_type?: number[];
}

interface JsonModel {
  learner: {
    feature_names?: string[];
    learner_model_param: { base_score: string; num_feature: string; num_class?: string };
    objective: { name: string };
    gradient_booster: {
      name: string;
      model: { trees: JsonTree[]; tree_info: number[] };
    };
  };
}

// Objectives whose margin is the prediction itself, or its logarithm. XGBoost stores
// base_score on the prediction scale, so the log-link objectives take its logarithm.
const IDENTITY_OBJECTIVES = new Set([
  'reg:squarederror',
  'reg:absoluteerror',
  'reg:pseudohubererror',
]);
const LOG_LINK_OBJECTIVES = new Set(['reg:gamma', 'reg:tweedie', 'count:poisson']);

/**
 * Parses an XGBoost JSON model. Raises for what this evaluator does not implement: boosters
 * other than gbtree, multi-class models, categorical splits and unknown objectives.
 */
export function parseXgboostModel(json: unknown): TreeEnsemble {
  const model = json as JsonModel;
  const learner = model.learner;
  if (learner?.gradient_booster?.name !== 'gbtree') {
    throw new Error('unsupported XGBoost model: only the gbtree booster is implemented');
  }
  if (Number(learner.learner_model_param.num_class ?? 0) > 1) {
    throw new Error('unsupported XGBoost model: multi-class models are not implemented');
  }

  const objective = learner.objective.name;
  const baseScore = Number(learner.learner_model_param.base_score);
  let baseMargin: number;
  if (IDENTITY_OBJECTIVES.has(objective)) baseMargin = Math.fround(baseScore);
  else if (LOG_LINK_OBJECTIVES.has(objective)) baseMargin = Math.fround(Math.log(baseScore));
  else throw new Error(`unsupported XGBoost objective ${objective}`);

  const trees = learner.gradient_booster.model.trees.map(parseTree);
  const featureCount = Number(learner.learner_model_param.num_feature);

  return {
    objective,
    baseMargin,
    featureCount,
    featureNames: learner.feature_names ?? [],
    trees,
    maxDepth: Math.max(0, ...trees.map((tree) => tree.maxDepth)),
  };
}

function parseTree(json: JsonTree): Tree {
  const size = json.left_children.length;
  if (json.split_type?.some((type) => type !== 0)) {
    throw new Error('unsupported XGBoost model: categorical splits are not implemented');
  }

  const tree: Tree = {
    left: Int32Array.from(json.left_children),
    right: Int32Array.from(json.right_children),
    feature: Int32Array.from(json.split_indices),
    threshold: Float64Array.from(json.split_conditions, (value) => Math.fround(value)),
    defaultLeft: Uint8Array.from(json.default_left.map((value) => (value ? 1 : 0))),
    leafValue: Float64Array.from(json.split_conditions, (value) => Math.fround(value)),
    cover: Float64Array.from(json.sum_hessian),
    meanValue: new Float64Array(size),
    maxDepth: 0,
  };
  tree.maxDepth = fillMeanValues(tree, 0);

  return tree;
}

/** Fills meanValue below `node` and returns the depth of the deepest leaf under it. */
function fillMeanValues(tree: Tree, node: number): number {
  const left = tree.left[node]!;
  if (left === -1) {
    tree.meanValue[node] = tree.leafValue[node]!;

    return 0;
  }

  const right = tree.right[node]!;
  const depth = Math.max(fillMeanValues(tree, left), fillMeanValues(tree, right)) + 1;
  tree.meanValue[node] =
    (tree.meanValue[left]! * tree.cover[left]! + tree.meanValue[right]! * tree.cover[right]!) /
    tree.cover[node]!;

  return depth;
}

/** Returns the child a row goes to. NaN follows the default direction, as in XGBoost. */
function nextNode(tree: Tree, node: number, row: ArrayLike<number>): number {
  const value = row[tree.feature[node]!]!;
  if (Number.isNaN(value)) {
    return tree.defaultLeft[node] ? tree.left[node]! : tree.right[node]!;
  }

  return Math.fround(value) < tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
}

function leafOf(tree: Tree, row: ArrayLike<number>): number {
  let node = 0;
  while (tree.left[node] !== -1) node = nextNode(tree, node, row);

  return node;
}

/** Returns the raw output (margin) for one row; NaN marks a missing feature. */
export function predictMargin(model: TreeEnsemble, row: ArrayLike<number>): number {
  let margin = model.baseMargin;
  for (const tree of model.trees) margin += tree.leafValue[leafOf(tree, row)]!;

  return margin;
}

/** Turns a margin into a prediction on the objective's scale. */
export function transformMargin(model: TreeEnsemble, margin: number): number {
  return LOG_LINK_OBJECTIVES.has(model.objective) ? Math.exp(margin) : margin;
}

/**
 * Explains one row with path-dependent TreeSHAP (Lundberg, Erion and Lee, "Consistent
 * Individualized Feature Attribution for Tree Ensembles", 2018, Algorithm 2): exact Shapley
 * values of each tree's output where a missing feature is integrated out over the training
 * cover of the branches. This is what XGBoost's `pred_contribs=True` computes.
 */
export function explainRow(model: TreeEnsemble, row: ArrayLike<number>): Explanation {
  const contributions = new Float64Array(model.featureCount);
  const workspace = new PathWorkspace(model.maxDepth);
  let bias = model.baseMargin;
  let margin = model.baseMargin;

  for (const tree of model.trees) {
    bias += tree.meanValue[0]!;
    margin += tree.leafValue[leafOf(tree, row)]!;
    treeShap(tree, row, contributions, workspace, 0, 0, 0, 1, 1, -1);
  }

  return { margin, bias, contributions: Array.from(contributions) };
}

/**
 * The unique paths of the recursion, stored back to back: the path of depth d starts right
 * after its parent's, so a recursion of depth D needs (D + 1)(D + 2) / 2 elements.
 */
class PathWorkspace {
  readonly feature: Int32Array;
  readonly zeroFraction: Float64Array;
  readonly oneFraction: Float64Array;
  readonly weight: Float64Array;

  constructor(maxDepth: number) {
    const size = ((maxDepth + 2) * (maxDepth + 3)) / 2;
    this.feature = new Int32Array(size);
    this.zeroFraction = new Float64Array(size);
    this.oneFraction = new Float64Array(size);
    this.weight = new Float64Array(size);
  }

  // A plain loop: paths are at most a few elements long, where copyWithin's call costs more
  // than the copy.
  copy(from: number, to: number, count: number) {
    for (let i = 0; i < count; i += 1) {
      this.feature[to + i] = this.feature[from + i]!;
      this.zeroFraction[to + i] = this.zeroFraction[from + i]!;
      this.oneFraction[to + i] = this.oneFraction[from + i]!;
      this.weight[to + i] = this.weight[from + i]!;
    }
  }
}

/** Adds a split to the path at `start` of length `depth`, updating the permutation weights. */
function extendPath(
  path: PathWorkspace,
  start: number,
  depth: number,
  zeroFraction: number,
  oneFraction: number,
  feature: number,
) {
  const end = start + depth;
  path.feature[end] = feature;
  path.zeroFraction[end] = zeroFraction;
  path.oneFraction[end] = oneFraction;
  path.weight[end] = depth === 0 ? 1 : 0;

  for (let i = depth - 1; i >= 0; i -= 1) {
    const at = start + i;
    path.weight[at + 1]! += (oneFraction * path.weight[at]! * (i + 1)) / (depth + 1);
    path.weight[at] = (zeroFraction * path.weight[at]! * (depth - i)) / (depth + 1);
  }
}

/** Removes element `index` from the path, the inverse of extendPath. */
function unwindPath(path: PathWorkspace, start: number, depth: number, index: number) {
  const oneFraction = path.oneFraction[start + index]!;
  const zeroFraction = path.zeroFraction[start + index]!;
  let nextOnePortion = path.weight[start + depth]!;

  for (let i = depth - 1; i >= 0; i -= 1) {
    const at = start + i;
    if (oneFraction !== 0) {
      const previous = path.weight[at]!;
      path.weight[at] = (nextOnePortion * (depth + 1)) / ((i + 1) * oneFraction);
      nextOnePortion = previous - (path.weight[at]! * zeroFraction * (depth - i)) / (depth + 1);
    } else {
      path.weight[at] = (path.weight[at]! * (depth + 1)) / (zeroFraction * (depth - i));
    }
  }
  for (let i = index; i < depth; i += 1) {
    path.feature[start + i] = path.feature[start + i + 1]!;
    path.zeroFraction[start + i] = path.zeroFraction[start + i + 1]!;
    path.oneFraction[start + i] = path.oneFraction[start + i + 1]!;
  }
}

/** Returns the total permutation weight the path would have without element `index`. */
function unwoundPathSum(path: PathWorkspace, start: number, depth: number, index: number) {
  const oneFraction = path.oneFraction[start + index]!;
  const zeroFraction = path.zeroFraction[start + index]!;
  let nextOnePortion = path.weight[start + depth]!;
  let total = 0;

  for (let i = depth - 1; i >= 0; i -= 1) {
    if (oneFraction !== 0) {
      const share = (nextOnePortion * (depth + 1)) / ((i + 1) * oneFraction);
      total += share;
      nextOnePortion = path.weight[start + i]! - (share * zeroFraction * (depth - i)) / (depth + 1);
    } else {
      total += (path.weight[start + i]! / zeroFraction) / ((depth - i) / (depth + 1));
    }
  }

  return total;
}

function treeShap(
  tree: Tree,
  row: ArrayLike<number>,
  phi: Float64Array,
  path: PathWorkspace,
  parentStart: number,
  node: number,
  depth: number,
  parentZeroFraction: number,
  parentOneFraction: number,
  parentFeature: number,
) {
  // This level's path starts after the parent's (which had `depth` elements) and begins as a
  // copy of it, so the parent's path is intact when the recursion returns.
  const start = depth === 0 ? 0 : parentStart + depth;
  if (depth > 0) path.copy(parentStart, start, depth);
  extendPath(path, start, depth, parentZeroFraction, parentOneFraction, parentFeature);

  if (tree.left[node] === -1) {
    const leafValue = tree.leafValue[node]!;
    for (let i = 1; i <= depth; i += 1) {
      const weight = unwoundPathSum(path, start, depth, i);
      const at = start + i;
      const fractionGap = path.oneFraction[at]! - path.zeroFraction[at]!;
      phi[path.feature[at]!]! += weight * fractionGap * leafValue;
    }

    return;
  }

  const hot = nextNode(tree, node, row);
  const cold = hot === tree.left[node] ? tree.right[node]! : tree.left[node]!;
  const cover = tree.cover[node]!;
  const hotZeroFraction = tree.cover[hot]! / cover;
  const coldZeroFraction = tree.cover[cold]! / cover;
  const splitFeature = tree.feature[node]!;
  let incomingZeroFraction = 1;
  let incomingOneFraction = 1;
  let uniqueDepth = depth;

  // A feature split on twice along the path counts once: undo its earlier split.
  let index = 0;
  while (index <= uniqueDepth && path.feature[start + index] !== splitFeature) index += 1;
  if (index <= uniqueDepth) {
    incomingZeroFraction = path.zeroFraction[start + index]!;
    incomingOneFraction = path.oneFraction[start + index]!;
    unwindPath(path, start, uniqueDepth, index);
    uniqueDepth -= 1;
  }

  treeShap(tree, row, phi, path, start, hot, uniqueDepth + 1,
    hotZeroFraction * incomingZeroFraction, incomingOneFraction, splitFeature);
  treeShap(tree, row, phi, path, start, cold, uniqueDepth + 1,
    coldZeroFraction * incomingZeroFraction, 0, splitFeature);
}
