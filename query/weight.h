// The weighting scheme searches rank with: DFR IneB2 (inverse expected
// document frequency, Bernoulli after-effect, length normalisation 2), c = 1,
// which beat BM25 and Xapian's other schemes on both judged collections
// (bench/relevance/README.md).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <xapian.h>

namespace nsearch {

// Xapian's IneB2Weight, formula for formula, but for the factor each
// posting's weight takes from its article's length, log2(1 + c * average
// length / length): the same for every term of a query, it is computed once
// per length and kept in a table that the query's terms share, rather than
// once per posting (`talk` on the news corpus x4: 1.8 of the 17.1 M
// instructions of a search went to IneB2's get_sumpart, a log2 for each of
// 22,584 postings). The weights come out the same to the bit: the table
// holds what the same expression computes.
//
// Xapian's remote servers know only Xapian's own schemes: MakeWeight gives
// this one for local shards alone.
class TabledIneB2Weight : public Xapian::Weight {
 public:
  explicit TabledIneB2Weight(double c);

  std::string name() const override { return "nsearch::TabledIneB2Weight"; }
  TabledIneB2Weight* clone() const override;
  void init(double factor) override;
  double get_sumpart(Xapian::termcount wdf, Xapian::termcount doclen, Xapian::termcount uniqterms) const override;
  double get_maxpart() const override { return upper_bound_; }
  double get_sumextra(Xapian::termcount, Xapian::termcount) const override { return 0; }
  double get_maxextra() const override { return 0; }

 private:
  // log2(1 + c_product_avlen / length) by length, below kLengths; NaN where
  // not computed yet. Shared by the clones one Enquire makes for a query's
  // terms (one thread).
  struct Table {
    double c_product_avlen = 0;
    std::vector<double> factor;
  };
  static constexpr Xapian::termcount kLengths = 4096;

  double param_c_;
  std::shared_ptr<Table> table_;
  double upper_bound_ = 0;
  double wqf_product_idf_ = 0;
  double c_product_avlen_ = 0;
  double b_constant_ = 0;
};

// The weight every search ranks with: TabledIneB2Weight(1), or Xapian's own
// IneB2Weight(1) (the same weights) when a shard is `remote`.
std::unique_ptr<Xapian::Weight> MakeWeight(bool remote);

}  // namespace nsearch
