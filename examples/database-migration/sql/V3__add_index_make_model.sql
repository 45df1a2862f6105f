CREATE INDEX car_make_model_idx ON car (make, model);
