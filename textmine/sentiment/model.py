"""The built-in sentiment model: a linear model scored clause by clause.

Training fits a logistic regression on the keys of
:mod:`textmine.sentiment.features` (characters, words and adjacent token
pairs, with negated words and their characters as negated keys), summed over
the clauses of a document with a weight per clause role (a contrast clause
counts more, a concession less) and divided by the square root of the number
of keys. The fitted coefficients are then exported as three ``key → weight``
tables (characters, words, pairs), so scoring a document is

    logit = intercept + Σ_clauses role_weight · Σ_keys weight[key] / √n_keys
    prob  = sigmoid(slope · logit + offset)

with plain dictionary lookups on the tokens the pipeline already has; the
``slope``/``offset`` pair (Platt scaling) is fitted on out-of-fold logits so
the probability is calibrated. A model is stored as JSON (parameters,
calibration, checksum) plus an NPZ of key and weight arrays, read with
``allow_pickle=False``: loading a model file can never run code.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import inspect
import io
import json
import logging
import math
import zipfile
from itertools import repeat
from pathlib import Path
from typing import NamedTuple

from ..errors import ModelError, NotFittedError
from .features import AnalysedText, ClauseSums, TokenWeights, analyse, clause_keys
from .labels import binary_targets, label_document, parse_labels

__all__ = ["SentimentModel", "DocumentSentiment", "FORMAT_VERSION", "MODEL_FILES"]

log = logging.getLogger(__name__)

FORMAT = "textmine-sentiment"
#: Version of the model file format this textmine reads and writes.
FORMAT_VERSION = 3  # 2: characters of negated words are negated keys; 3: degree words
_JSON = "sentiment.json"
_NPZ = "sentiment.npz"
_CARD = "sentiment.md"
#: The files of a model directory.
MODEL_FILES = (_JSON, _NPZ, _CARD)
_TABLES = ("char", "word", "pair")
_ARRAYS = tuple(f"{t}_{a}" for t in _TABLES for a in ("keys", "weights"))
# Prefixes that keep the three kinds of keys apart in the training matrix.
_PREFIX = {"char": "", "word": "\x00", "pair": "\x01"}


class DocumentSentiment(NamedTuple):
    """The sentiment of one document: what every backend returns."""

    prob: float
    """Probability that the document is positive."""
    label: str
    """``pos``, ``neg`` or ``neu`` (see :func:`textmine.sentiment.labels.label_document`)."""
    clause_probs: list
    """Each clause's own probability of being positive."""


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


class SentimentModel:
    """Probability that a Chinese text is positive, clause by clause.

    A scikit-learn estimator (``get_params``/``set_params``, ``fit``,
    ``predict``, ``predict_proba``, ``score``; ``clone`` and ``GridSearchCV``
    work) that does not import scikit-learn until :meth:`fit`, so scoring
    starts fast. Load the shipped model with :meth:`load`.

    Parameters
    ----------
    C : float
        Inverse L2 regularisation strength of the logistic regression.
    min_df : int
        Keep only keys that occur in at least this many training texts.
    contrast_weight, concession_weight, question_weight : float
        How much a clause introduced by 但是/可是/不过…, one introduced by
        虽然/尽管…, and a clause of a question count towards the document.
    calibration_folds : int
        Folds of the cross-validation whose out-of-fold logits fit the Platt
        calibration (with ``groups`` given to :meth:`fit`, one fold per group);
        0 skips calibration (faster, for experiments).
    random_state : int
        Seed of the fold split and of the solver: the same data and seed give
        the same weights.
    segmenter : textmine.segment.Segmenter, optional
        Segmenter used for raw strings; the default ``Segmenter()`` when None.
        The scoring pipeline passes its own tokens to :meth:`score_document`.

    Attributes
    ----------
    char_weights_, word_weights_, pair_weights_ : dict
        Weight of each character, word (or negated word) and token pair key.
    intercept_ : float
        Logit of a text with no known key, before calibration.
    calibration_ : tuple of float
        ``(slope, offset)`` of the Platt calibration.
    calibration_logits_ : ndarray or None
        The out-of-fold logits the calibration was fitted on (not saved).
    classes_ : list
        ``[0, 1]``: :meth:`predict` returns 1 for positive.

    Examples
    --------
    >>> model = SentimentModel(calibration_folds=2).fit(
    ...     ["很好吃", "太难吃了", "质量很好", "质量太差", "好评", "差评"], [1, 0, 1, 0, 1, 0])
    >>> model.predict(["很好", "太差"]).tolist()
    [1, 0]
    """

    _estimator_type = "classifier"

    def __init__(self, C: float = 1.0, min_df: int = 2, contrast_weight: float = 1.5,
                 concession_weight: float = 0.5, question_weight: float = 1.0,
                 calibration_folds: int = 5, random_state: int = 0, segmenter=None):
        self.C = C
        self.min_df = min_df
        self.contrast_weight = contrast_weight
        self.concession_weight = concession_weight
        self.question_weight = question_weight
        self.calibration_folds = calibration_folds
        self.random_state = random_state
        self.segmenter = segmenter

    # -- the estimator contract, without importing scikit-learn -----------------
    @classmethod
    def _get_param_names(cls) -> list[str]:
        return [p for p in inspect.signature(cls.__init__).parameters if p != "self"]

    def get_params(self, deep: bool = True) -> dict:
        """Parameters of this model, as passed to ``__init__``."""
        return {name: getattr(self, name) for name in self._get_param_names()}

    def set_params(self, **params) -> "SentimentModel":
        """Set parameters; unknown names raise ``ValueError`` listing the valid ones."""
        valid = self._get_param_names()
        for name, value in params.items():
            if name not in valid:
                raise ValueError(f"Invalid parameter {name!r} for SentimentModel; valid "
                                 f"parameters are {valid}.")
            setattr(self, name, value)
        self._drop_runtime()
        return self

    def __sklearn_tags__(self):
        from sklearn.utils import ClassifierTags, InputTags, Tags, TargetTags

        return Tags(estimator_type="classifier", target_tags=TargetTags(required=True),
                    classifier_tags=ClassifierTags(), input_tags=InputTags(
                        two_d_array=False, string=True), transformer_tags=None,
                    regressor_tags=None)

    def __repr__(self) -> str:
        defaults = {p.name: p.default for p in
                    inspect.signature(type(self).__init__).parameters.values()}
        changed = [f"{k}={v!r}" for k, v in self.get_params().items() if v != defaults[k]]
        return f"SentimentModel({', '.join(changed)})"

    # -- fitting --------------------------------------------------------------------
    def _role_weights(self) -> dict:
        return {"": 1.0, "contrast": float(self.contrast_weight),
                "concession": float(self.concession_weight)}

    def _segmenter(self):
        if self.segmenter is not None:
            return self.segmenter
        if getattr(self, "_default_segmenter", None) is None:
            from ..segment import Segmenter

            self._default_segmenter = Segmenter()
        return self._default_segmenter

    def _analyse(self, X) -> list[AnalysedText]:
        if isinstance(X, str):
            raise ValueError("X must be a list of texts, not a single string; wrap it: [text]")
        seg = None
        out = []
        for x in X:
            if isinstance(x, AnalysedText):
                out.append(x)
            else:
                seg = seg or self._segmenter()
                out.append(analyse(x, seg))
        return out

    def _doc_keys(self, doc: AnalysedText, roles: dict) -> tuple[dict, int]:
        """Weighted counts of a document's keys (word keys prefixed) and the number of keys."""
        counts: dict = {}
        n = 0
        q = float(self.question_weight)
        for clause, tokens in zip(doc.clauses, doc.tokens):
            r = roles.get(clause.role, 1.0) * (q if clause.question else 1.0)
            chars, words, pairs, char_times, word_times = clause_keys(tokens)
            n += sum(map(bool, char_times)) + sum(map(bool, word_times)) + len(pairs)
            for prefix, keys, times in zip(_PREFIX.values(), (chars, words, pairs),
                                           (char_times, word_times, repeat(1.0))):
                for k, t in zip(keys, times):
                    if t:
                        k = prefix + k
                        counts[k] = counts.get(k, 0.0) + r * t
        return counts, n

    def _matrix(self, docs, vocabulary=None):
        """The training matrix; builds the vocabulary (``min_df``) when none is given."""
        import numpy as np
        import scipy.sparse as sp

        roles = self._role_weights()
        bags = [self._doc_keys(d, roles) for d in docs]
        if vocabulary is None:
            df: dict = {}
            for counts, _ in bags:
                for k in counts:
                    df[k] = df.get(k, 0) + 1
            kept = sorted(k for k, c in df.items() if c >= self.min_df)
            vocabulary = {k: i for i, k in enumerate(kept)}
        indptr, indices, data, scale = [0], [], [], []
        for counts, n in bags:
            for k, v in counts.items():
                j = vocabulary.get(k)
                if j is not None:
                    indices.append(j)
                    data.append(v)
            indptr.append(len(indices))
            scale.append(1.0 / math.sqrt(max(n, 1)))
        X = sp.csr_matrix((np.asarray(data, dtype=np.float64), np.asarray(indices, dtype=np.int64),
                           np.asarray(indptr, dtype=np.int64)), shape=(len(docs), len(vocabulary)))
        return sp.diags(np.asarray(scale)) @ X, vocabulary

    def _linear(self):
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(C=self.C, solver="liblinear", dual=True, max_iter=2000,
                                  random_state=self.random_state)

    def fit(self, X, y, sample_weight=None, groups=None) -> "SentimentModel":
        """Learn key weights and the calibration from labelled texts.

        Parameters
        ----------
        X : list of str
            Raw texts (normalised and segmented here); already analysed
            :class:`~textmine.sentiment.features.AnalysedText` items are used as they are.
        y : sequence
            1/0, pos/neg or 正面/负面 labels. Neutral ones (neu, 中性, 0 in
            -1/0/1) mark texts without opinion: each counts as half a positive
            and half a negative text, which pulls the weights of what they
            say (多少钱, 发货, 来了) towards zero; they take no part in the
            calibration.
        sample_weight : sequence of float, optional
            Weight of each text in the loss.
        groups : sequence, optional
            A domain per text (product category, platform…). Calibration then
            uses leave-one-group-out logits, i.e. it is calibrated for domains
            the model has not seen.

        Returns
        -------
        SentimentModel
            ``self``.
        """
        import numpy as np

        docs = self._analyse(X)
        labels = parse_labels(y)
        if len(docs) != len(labels):
            raise ValueError(f"X has {len(docs)} texts but y has {len(labels)} labels; "
                             "pass one label per text")
        neutral = np.array([lab == "neu" for lab in labels], dtype=bool)
        target = np.array([lab == "pos" for lab in labels], dtype=int)
        if len(set(target[~neutral].tolist())) < 2:
            raise ValueError("y holds only one class; fitting needs positive and negative texts")
        weight = (np.ones(len(labels)) if sample_weight is None
                  else np.asarray(sample_weight, dtype=float))
        matrix, vocabulary = self._matrix(docs)
        # A neutral text is a positive and a negative row of half its weight.
        n = int(neutral.sum())
        neutral_rows = (matrix[np.r_[np.flatnonzero(neutral), np.flatnonzero(neutral)]],
                        np.r_[np.ones(n, dtype=int), np.zeros(n, dtype=int)],
                        np.r_[weight[neutral], weight[neutral]] / 2)
        opinion = ~neutral
        matrix, target, weight = matrix[opinion], target[opinion], weight[opinion]
        if groups is not None:
            groups = np.asarray(groups)[opinion]
        offset, slope, self.calibration_logits_ = self._calibrate(matrix, target, weight, groups,
                                                                  neutral_rows)
        clf = self._linear().fit(*_with_rows(matrix, target, weight, neutral_rows))
        coef = clf.coef_.ravel().astype(np.float32)
        tables = {prefix: {} for prefix in _PREFIX.values()}
        for key, j in vocabulary.items():
            w = float(coef[j])
            if w != 0.0:
                if key[0] in tables:  # word and pair keys carry a prefix
                    tables[key[0]][key[1:]] = w
                else:
                    tables[""][key] = w
        self.char_weights_, self.word_weights_, self.pair_weights_ = (
            tables[_PREFIX[name]] for name in _TABLES)
        self.intercept_ = float(np.float32(clf.intercept_[0]))
        self.calibration_ = (slope, offset)
        self.classes_ = [0, 1]
        self.n_train_ = int(len(docs))
        self._source = None
        self._drop_runtime()
        return self

    def _calibrate(self, matrix, target, weight, groups, extra):
        """Fit Platt scaling on out-of-fold logits; return ``(offset, slope, logits)``.

        ``extra`` (matrix, target, weight) joins every fold's training set and
        is never scored: the neutral texts.
        """
        import numpy as np
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import GroupKFold, StratifiedKFold

        if groups is not None:
            groups = np.asarray(groups)
            if len(groups) != len(target):
                raise ValueError(f"groups has {len(groups)} entries for {len(target)} texts; "
                                 "pass one group per text")
            folds = GroupKFold(n_splits=len(set(groups.tolist()))).split(matrix, target, groups)
        else:
            k = min(self.calibration_folds, int(np.bincount(target).min()))
            if k < 2:  # calibration_folds=0 (or too few texts): no calibration
                return 0.0, 1.0, None
            folds = StratifiedKFold(k, shuffle=True, random_state=self.random_state).split(
                matrix, target)
        logits = np.zeros(len(target))
        for train, test in folds:
            clf = self._linear().fit(*_with_rows(matrix[train], target[train], weight[train],
                                                 extra))
            logits[test] = clf.decision_function(matrix[test])
        platt = LogisticRegression(C=1e4).fit(logits[:, None], target, sample_weight=weight)
        return float(platt.intercept_[0]), float(platt.coef_[0, 0]), logits

    # -- scoring --------------------------------------------------------------------
    def _check_fitted(self) -> None:
        if not hasattr(self, "intercept_"):
            raise NotFittedError("This SentimentModel is not fitted yet; call fit(texts, labels) "
                                 "or use SentimentModel.load() for the shipped model.")

    def _drop_runtime(self) -> None:
        self._runtime = None

    def _tables(self):
        """``(token_weights, pair_get)``, with the emoji of ``emoji.toml`` among the words.

        Also caches the role weights and the neutral probability used by
        :meth:`score_document`; :meth:`set_params` and :meth:`fit` clear them.
        """
        runtime = getattr(self, "_runtime", None)
        if runtime is None:
            self._check_fitted()
            if getattr(self, "_source", None) is not None:
                # Loaded from files: the tables are read once per process and
                # shared; an unpickled model gets them back here.
                tables = _read_model(*_stamp(self._source))
                self.char_weights_, self.word_weights_, self.pair_weights_ = tables.weights
                runtime = tables.runtime
            else:
                runtime = _runtime(self.char_weights_, self.word_weights_, self.pair_weights_)
            self._roles = self._role_weights()
            self._neutral = self.neutral_prob_
            self._sums = ClauseSums(*runtime)
            self._runtime = runtime
        return runtime

    @property
    def neutral_prob_(self) -> float:
        """Probability of a clause without any known key: the reference for ``neu``."""
        self._check_fitted()
        slope, offset = self.calibration_
        return _sigmoid(slope * self.intercept_ + offset)

    def score_document(self, text: str, clauses, clause_tokens) -> DocumentSentiment:
        """Score a normalised document whose clauses are already segmented.

        Parameters
        ----------
        text : str
            The normalised document.
        clauses : list of textmine.normalize.Clause
            ``split_clauses(text)``.
        clause_tokens : list of list of str
            The tokens of each clause, as ``Segmenter.cut`` returns them.

        Returns
        -------
        DocumentSentiment
            Calibrated probability, label and per-clause probabilities.

        Examples
        --------
        >>> from textmine.normalize import split_clauses
        >>> from textmine.segment import Segmenter
        >>> model, seg = SentimentModel.load(), Segmenter()
        >>> text = "质量不错,但是物流太慢了"
        >>> clauses = split_clauses(text)
        >>> doc = model.score_document(text, clauses, [seg.cut(c.text) for c in clauses])
        >>> doc.label, doc.prob < doc.clause_probs[0]
        ('neg', True)
        """
        self._tables()
        sums = self._sums
        slope, offset = self.calibration_
        b = self.intercept_
        roles = self._roles
        q = self.question_weight
        total = 0.0
        n_total = 0
        clause_probs = []
        exp, sqrt = math.exp, math.sqrt
        for clause, tokens in zip(clauses, clause_tokens):
            s, n = sums[tokens if type(tokens) is tuple else tuple(tokens)]
            r = roles.get(clause.role, 1.0)
            if clause.question:
                r *= q
            total += r * s
            n_total += n
            z = slope * (b + s / sqrt(n or 1)) + offset
            clause_probs.append(1.0 / (1.0 + exp(-z)) if z > -700 else 0.0)
        if not clause_probs:
            return DocumentSentiment(0.5, "neu", [])
        prob = _sigmoid(slope * (b + total / math.sqrt(max(n_total, 1))) + offset)
        return DocumentSentiment(prob, label_document(prob, clause_probs, clauses,
                                                      self._neutral), clause_probs)

    def score_texts(self, X) -> list[DocumentSentiment]:
        """Score raw texts (normalised, split and segmented here)."""
        self._check_fitted()
        return [self.score_document(d.text, d.clauses, d.tokens) for d in self._analyse(X)]

    def predict_proba(self, X):
        """Return an ``(n, 2)`` array: probability of negative, of positive."""
        import numpy as np

        p = np.array([d.prob for d in self.score_texts(X)], dtype=float)
        return np.column_stack([1.0 - p, p]) if len(p) else np.zeros((0, 2))

    def predict(self, X):
        """Return 1 for texts more likely positive than not, else 0."""
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(int)

    def score(self, X, y, sample_weight=None) -> float:
        """Accuracy of :meth:`predict` against 1/0, pos/neg or 正面/负面 labels."""
        import numpy as np

        right = self.predict(X) == np.asarray(binary_targets(y))
        return float(np.average(right, weights=sample_weight))

    # -- files ----------------------------------------------------------------------
    def save(self, path, card: str | None = None, training: dict | None = None) -> Path:
        """Write the model to the directory ``path`` (created if needed).

        Writes ``sentiment.json`` (parameters, calibration, checksum),
        ``sentiment.npz`` (keys and weights) and ``sentiment.md`` (the model
        card: ``card`` if given, else a short one). ``training`` is stored in
        the JSON as is (data hashes, metrics). The NPZ is byte-for-byte the
        same for the same weights.
        """
        import numpy as np

        self._check_fitted()
        self._tables()  # a model unpickled from a file needs its weights back
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        arrays = {}
        for name, table in zip(_TABLES, (self.char_weights_, self.word_weights_,
                                         self.pair_weights_)):
            keys = sorted(table)
            if any("\n" in k for k in keys):
                raise ModelError(f"a {name} key contains a newline; keys come from clause text, "
                                 "which never does — was the model edited by hand?")
            arrays[f"{name}_keys"] = np.frombuffer("\n".join(keys).encode("utf-8"), dtype=np.uint8)
            arrays[f"{name}_weights"] = np.array([table[k] for k in keys], dtype=np.float32)
        blob = _npz_bytes(arrays)
        (path / _NPZ).write_bytes(blob)
        params = {k: v for k, v in self.get_params().items() if k != "segmenter"}
        slope, offset = self.calibration_
        from .. import __version__

        meta = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "textmine_version": __version__,
            "created": datetime.date.today().isoformat(),
            "params": params,
            "intercept": self.intercept_,
            "calibration": {"method": "platt", "slope": slope, "offset": offset},
            "n_keys": {name: len(table) for name, table in zip(
                _TABLES, (self.char_weights_, self.word_weights_, self.pair_weights_))},
            "n_train": getattr(self, "n_train_", None),
            "weights_file": _NPZ,
            "weights_sha256": hashlib.sha256(blob).hexdigest(),
            "training": training or {},
        }
        (path / _JSON).write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
                                  encoding="utf-8")
        (path / _CARD).write_text(card or _short_card(meta), encoding="utf-8")
        return path

    @classmethod
    def load(cls, path=None) -> "SentimentModel":
        """Load a model directory written by :meth:`save`; None loads the shipped model.

        Weights are read once per process and shared by every model loaded
        from the same files; pickling a loaded model sends only its path.

        Raises
        ------
        textmine.errors.ModelError
            When the directory lacks the model files, or they are corrupt,
            truncated or of another format version.
        """
        source = None if path is None else Path(path)
        tables = _read_model(*_stamp(source))
        meta = tables.meta
        model = cls(segmenter=None)
        try:
            model.set_params(**meta["params"])
        except ValueError as exc:
            raise ModelError(f"{tables.where}: {exc}; the model was written by another textmine "
                             "version: retrain it with `textmine train`") from None
        model.char_weights_, model.word_weights_, model.pair_weights_ = tables.weights
        model.intercept_ = float(meta["intercept"])
        cal = meta["calibration"]
        model.calibration_ = (float(cal["slope"]), float(cal["offset"]))
        model.classes_ = [0, 1]
        model.n_train_ = meta.get("n_train")
        model.metadata_ = meta
        model._source = source if source is not None else _BUILTIN
        model._runtime = None
        model._tables()
        return model

    def __getstate__(self):
        # Worker processes get parameters and the model's path, not its tables:
        # they reload them (once per process) on first use.
        state = self.__dict__.copy()
        state["_runtime"] = None
        state["_sums"] = None
        state["_default_segmenter"] = None
        if state.get("_source") is not None:
            for name in _TABLES:
                state[f"{name}_weights_"] = None
        return state


def _with_rows(matrix, target, weight, rows) -> tuple:
    """``(matrix, target, weight)`` with the ``rows`` triple appended."""
    import numpy as np
    import scipy.sparse as sp

    extra_matrix, extra_target, extra_weight = rows
    return (sp.vstack([matrix, extra_matrix]).tocsr(), np.r_[target, extra_target],
            np.r_[weight, extra_weight])


# --- reading and writing files ----------------------------------------------------

_BUILTIN = "<builtin>"


def _stamp(source):
    """Cache key of a model directory: its path and its files' sizes and times."""
    if source is None or source == _BUILTIN:
        return (_BUILTIN, None)
    path = Path(source)
    stats = []
    for name in (_JSON, _NPZ):
        try:
            st = (path / name).stat()
            stats.append((st.st_size, st.st_mtime_ns))
        except OSError:
            stats.append(None)
    return (str(path), tuple(stats))


class _Tables(NamedTuple):
    meta: dict
    weights: tuple
    runtime: tuple
    where: str


def _runtime(chars: dict, words: dict, pairs: dict) -> tuple:
    """The lookups used for scoring: word weights plus emoji read as their words."""
    from ..normalize import emoji_lexicon

    table = dict(words)
    strong = sorted(abs(w) for w in words.values())
    floor = strong[int(0.99 * (len(strong) - 1))] if strong else 1.0
    for emoji, (word, sign) in emoji_lexicon().items():
        w = words.get(word, 0.0)
        own = words.get(emoji, 0.0)
        if emoji.isalnum():
            # A number or a word of slang weighs as its word does as a token
            # (word and characters), and its own characters do not count: they
            # learned other things (5 from 5星 and 99元, 牛 from 蒙牛 reviews).
            w += sum(chars.get(ch, 0.0) for ch in word)
            own -= sum(chars.get(ch, 0.0) for ch in emoji)
        # The emoji's own polarity wins when its word is weak or ambiguous.
        table[emoji] = own + sign * max(w * sign, floor)
    return TokenWeights(chars.get, table.get), pairs.get


@functools.lru_cache(maxsize=8)
def _read_model(where: str, stats) -> _Tables:
    if where == _BUILTIN:
        from ..resources import models_folder

        return _read_folder(models_folder(),
                            "the shipped sentiment model (textmine/models)")
    return _read_folder(Path(where), where)


def _read_folder(folder, where: str) -> _Tables:
    """Read a model from ``folder``: a directory path or a package traversable."""
    import numpy as np

    retrain = "retrain it with `textmine train` or reinstall textmine"
    try:
        raw = (folder / _JSON).read_bytes()
    except FileNotFoundError:
        raise ModelError(f"{where}: no {_JSON} in {folder}; a model directory holds {_JSON} and "
                         f"{_NPZ} as written by `textmine train -o DIR`") from None
    except OSError as exc:
        raise ModelError(f"{where}: cannot read {_JSON}: {exc}") from None
    try:
        meta = json.loads(raw.decode("utf-8"))
        if not isinstance(meta, dict):
            raise ValueError("not a JSON object")
    except ValueError as exc:
        raise ModelError(f"{where}: {_JSON} is corrupt or truncated ({exc}); {retrain}") from None
    if meta.get("format") != FORMAT:
        raise ModelError(f"{where}: {_JSON} is not a textmine sentiment model "
                         f"(format {meta.get('format')!r}); {retrain}")
    if meta.get("format_version") != FORMAT_VERSION:
        raise ModelError(f"{where}: model format version {meta.get('format_version')!r}, but this "
                         f"textmine reads version {FORMAT_VERSION}; {retrain}")
    try:
        blob = (folder / _NPZ).read_bytes()
    except OSError as exc:
        raise ModelError(f"{where}: cannot read the weights {_NPZ}: {exc}; {retrain}") from None
    if hashlib.sha256(blob).hexdigest() != meta.get("weights_sha256"):
        raise ModelError(f"{where}: {_NPZ} is corrupt or truncated (its SHA-256 does not match "
                         f"{_JSON}); {retrain}")
    try:
        with np.load(io.BytesIO(blob), allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in _ARRAYS}
        tables = []
        for name in _TABLES:
            keys, weights = arrays[f"{name}_keys"], arrays[f"{name}_weights"]
            if keys.dtype != np.uint8 or weights.dtype != np.float32:
                raise ValueError(f"unexpected array types {keys.dtype}, {weights.dtype}")
            text = keys.tobytes().decode("utf-8")
            names = text.split("\n") if text else []
            if len(names) != len(weights):
                raise ValueError(f"{len(names)} {name} keys but {len(weights)} weights")
            tables.append(dict(zip(names, weights.tolist())))
        slope = float(meta["calibration"]["slope"])
        float(meta["calibration"]["offset"]), float(meta["intercept"])
        dict(meta["params"])
    except (ValueError, KeyError, TypeError, OSError, EOFError, zipfile.BadZipFile) as exc:
        raise ModelError(f"{where}: the model files are inconsistent ({exc}); {retrain}") from None
    if not math.isfinite(slope):
        raise ModelError(f"{where}: calibration slope is {slope}; {retrain}")
    return _Tables(meta, tuple(tables), _runtime(*tables), where)


def _npz_bytes(arrays: dict) -> bytes:
    """An NPZ archive with fixed timestamps, so equal weights give equal files."""
    import numpy as np

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, array in arrays.items():
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            data = io.BytesIO()
            np.lib.format.write_array(data, np.ascontiguousarray(array), allow_pickle=False)
            zf.writestr(info, data.getvalue(), compresslevel=9)
    return buffer.getvalue()


def _short_card(meta: dict) -> str:
    p = meta["params"]
    return (
        "# Sentiment model\n\n"
        f"Written by textmine {meta['textmine_version']} on {meta['created']}: logistic regression "
        f"on clause keys (C={p['C']}, min_df={p['min_df']}), trained on {meta['n_train']} texts; "
        f"{meta['n_keys']} keys.\n\n"
        "Training data and held-out metrics: see `training` in sentiment.json.\n"
    )
