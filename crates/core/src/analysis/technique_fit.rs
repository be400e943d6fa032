//! The fit each technique got whenever it was played: how many times, the mean and the best.

/// Per technique, in the prepared scenario's order.
#[derive(Clone, Debug, PartialEq)]
pub struct TechniqueTally {
    pub uses: Vec<u64>,
    fit_sum: Vec<f64>,
    pub best: Vec<f32>,
}

impl TechniqueTally {
    pub fn new(techniques: usize) -> TechniqueTally {
        TechniqueTally {
            uses: vec![0; techniques],
            fit_sum: vec![0.0; techniques],
            best: vec![f32::NEG_INFINITY; techniques],
        }
    }

    pub fn record(&mut self, technique: usize, fit: f32) {
        self.uses[technique] += 1;
        self.fit_sum[technique] += f64::from(fit);
        self.best[technique] = self.best[technique].max(fit);
    }

    /// None when the technique was never played.
    pub fn mean(&self, technique: usize) -> Option<f32> {
        (self.uses[technique] > 0)
            .then(|| (self.fit_sum[technique] / self.uses[technique] as f64) as f32)
    }

    pub fn best(&self, technique: usize) -> Option<f32> {
        (self.uses[technique] > 0).then_some(self.best[technique])
    }

    pub fn merge(&mut self, other: &TechniqueTally) {
        for i in 0..self.uses.len() {
            self.uses[i] += other.uses[i];
            self.fit_sum[i] += other.fit_sum[i];
            self.best[i] = self.best[i].max(other.best[i]);
        }
    }
}
