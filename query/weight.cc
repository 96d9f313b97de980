#include "query/weight.h"

#include <cmath>
#include <limits>

namespace nsearch {

TabledIneB2Weight::TabledIneB2Weight(double c) : param_c_(c), table_(std::make_shared<Table>()) {
  if (param_c_ <= 0) throw Xapian::InvalidArgumentError("Parameter c is invalid");
  need_stat(AVERAGE_LENGTH);
  need_stat(DOC_LENGTH);
  need_stat(DOC_LENGTH_MIN);
  need_stat(COLLECTION_SIZE);
  need_stat(WDF);
  need_stat(WDF_MAX);
  need_stat(WQF);
  need_stat(COLLECTION_FREQ);
  need_stat(TERMFREQ);
}

TabledIneB2Weight* TabledIneB2Weight::clone() const {
  auto* copy = new TabledIneB2Weight(param_c_);
  copy->table_ = table_;
  return copy;
}

// As Xapian 1.4's IneB2Weight::init (weight/ineb2weight.cc), expression for
// expression, so that every weight is the same double.
void TabledIneB2Weight::init(double factor) {
  if (factor == 0.0) return;  // the term-independent part: always 0 in this scheme
  double wdfn_upper = get_wdf_upper_bound();
  if (wdfn_upper == 0) {
    upper_bound_ = 0.0;
    return;
  }
  wdfn_upper *= std::log2(1 + (param_c_ * get_average_length()) / get_doclength_lower_bound());
  const double n = get_collection_size();
  const double f = get_collection_freq();
  const double termfreq = get_termfreq();
  const double max_wdfn_product_b = (f + 1.0) / (termfreq + (termfreq / wdfn_upper));
  const double mean = f / n;
  const double expected_max = n * (1.0 - std::exp(-mean));
  const double idf_max = std::log2((n + 1.0) / (expected_max + 0.5));
  wqf_product_idf_ = get_wqf() * idf_max * factor;
  c_product_avlen_ = param_c_ * get_average_length();
  b_constant_ = (f + 1.0) / termfreq;
  upper_bound_ = max_wdfn_product_b * idf_max * get_wqf() * factor;
  if (table_->factor.empty() || table_->c_product_avlen != c_product_avlen_) {
    table_->c_product_avlen = c_product_avlen_;
    table_->factor.assign(kLengths, std::numeric_limits<double>::quiet_NaN());
  }
}

double TabledIneB2Weight::get_sumpart(Xapian::termcount wdf, Xapian::termcount len, Xapian::termcount) const {
  if (wdf == 0) return 0.0;
  double wdfn = wdf;
  if (len < kLengths && table_->c_product_avlen == c_product_avlen_) {
    double& factor = table_->factor[len];
    if (std::isnan(factor)) factor = std::log2(1 + c_product_avlen_ / len);
    wdfn *= factor;
  } else {
    wdfn *= std::log2(1 + c_product_avlen_ / len);
  }
  const double wdfn_product_b = wdfn * b_constant_ / (wdfn + 1.0);
  return wdfn_product_b * wqf_product_idf_;
}

std::unique_ptr<Xapian::Weight> MakeWeight(bool remote) {
  if (remote) return std::make_unique<Xapian::IneB2Weight>(1.0);
  return std::make_unique<TabledIneB2Weight>(1.0);
}

}  // namespace nsearch
