// The public API: what a design file outside the project imports as
// `import { ... } from 'daxcheck'`. The CLI's loader points that specifier at
// this module's compiled twin (dist/api/index.js), so a user's design and the
// built-in ones share one copy of the model code.
//
// It holds the model API (domains, actions, properties, defineDesign), the
// built-in models, and the building blocks of their designs: the dax model's
// Behaviour parts (the SetFlag rules, the fault rules, the state's enums and
// inode helpers) and the passthrough model's policies.

// ---- writing a design ------------------------------------------------------
export { actionsOver, defineDesign, designsExportedBy, withDesigns, type DesignAction, type DesignExtension, type UserDesign } from '../checker/extend.js';
export { actionsOf, defineModel, enumConstant, initOf, intConstant, type ActionDef, type ActionProperty, type Invariant, type ModelDef, type ModelParts, type Property, type ReachabilityGoal, type StepInfo } from '../checker/model.js';
export { alwaysEventually, eventually, eventuallyAlways, leadsTo, strongFairness, weakFairness, type Fairness, type LivenessProperty, type TemporalFormula } from '../checker/model.js';
export { arrayOf, bool, enumOf, exists, forall, indexSet, int, record, type Domain } from '../checker/domain.js';
export type { View } from '../checker/layout.js';
export type { ShownStep, StepWords } from '../checker/presentation.js';

// ---- the built-in models ---------------------------------------------------
export { daxModel } from '../spec/dax/index.js';
export { passthroughModel } from '../spec/passthrough/index.js';

// ---- dax: the parts of a design's Behaviour --------------------------------
export type { Behaviour } from '../spec/dax/actions/index.js';
export type { DaxDesign } from '../spec/dax/designs/design.js';
export type { Ctx } from '../spec/dax/context.js';
export { fName, pName } from '../spec/dax/context.js';
export {
  busyWhileMapped, busyWhileOpenOrMapped, flipOnIoctl, flipWithoutFlush, forwardAndMarkDontcache, forwardToServer,
  markDontcache, markDontcacheAtIoctl, setOnlyOnEmptyFile, type SetFlagRule,
} from '../spec/dax/actions/setflag.js';
export { faultByInode, faultByMapping, type FaultRule } from '../spec/dax/actions/mmap.js';
export { attrDaxDiffers, isDaxNotEqualNewdax, type DontcacheCheck } from '../spec/dax/actions/fuse.js';
export { evict, evictedBy, flushAndInvalidate, instantiate, isDaxPte, isMapped, isPageCachePte, referenced, releaseRef, writeBack } from '../spec/dax/inode.js';
export { FaultStage, Fd, InCore, ModeChange, PageCache, Pte, Size, Vma, WritePath, shapeOf as daxShape, type S as DaxState, type Schema as DaxSchema } from '../spec/dax/state.js';
// The lock cut (cut=locks): what a design's own actions must respect while a flag change, a write or a fault is half done.
export { inFault, inIoctl, insideWriteOrFault, ioctlHolds, pinsFile, type Locking } from '../spec/dax/locks.js';

// ---- passthrough: the policies -----------------------------------------------
export type { CacheMmapPolicy, PassthroughDesign } from '../spec/passthrough/policy.js';
export { landedPolicy } from '../spec/passthrough/designs/landed.js';
export { cacheMmapTaintPolicy } from '../spec/passthrough/designs/cache-mmap-taint.js';
export { vmaCloseRefcountPolicy } from '../spec/passthrough/designs/vma-close-refcount.js';
export { EverMapped, FileKind, IoMode, OpenFlags, VmaMap, worldFor as passthroughWorld, type S as PassthroughState } from '../spec/passthrough/state.js';

/** How a dax action is written: `action({ params, guard, effect, label })` over the dax state (checker/model.ts actionsOf). */
export { action } from '../spec/dax/context.js';
